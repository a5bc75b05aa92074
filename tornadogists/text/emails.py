"""E-mail addresses: one canonical spelling per mailbox, or InvalidEmail."""

from email_validator import EmailNotValidError, validate_email

# Far above any real address (254); a bound before the validator does any work.
MAX_INPUT = 1000


class InvalidEmail(ValueError):
    """str() is the message for the form."""


def normalise_email(text: str) -> str:
    """`Ada@Bücher.Example` -> `ada@xn--bcher-kva.example`.

    email-validator checks the syntax (no quoted or bracketed forms, no trailing dot,
    no commas). A non-ASCII domain is kept in its punycode (IDNA) form: every spelling
    of one domain, fullwidth letters included, becomes one key for accounts and rate
    limits, any SMTP server can deliver to it, and a look-alike domain shows as `xn--`.
    A non-ASCII local part would need SMTPUTF8 from every relay, so it is refused.
    The local part is lower-cased: addresses differing only in case are one person.
    """
    if len(text) > MAX_INPUT:
        raise InvalidEmail("Please enter a valid e-mail address, like you@example.com.")
    try:
        found = validate_email(text.strip(), check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise InvalidEmail(f"Please enter a valid e-mail address, like you@example.com. {error}") from None
    return f"{found.local_part.lower()}@{found.ascii_domain.lower()}"
