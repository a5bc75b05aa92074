"""A prefix as a range (storage/lookups.py): exactly the strings that begin with it, on the database."""

import pytest

from tornadogists.storage.lookups import starting_with

WORDS = ["tag:", "tag:python", "tag;", "tags", "tag", "tag:\U0010ffff", "a\U0010ffff", "a\U0010ffffz", "b",
         "\ud7ff", "\ud7ffx", "\ue000", "\U0010ffff", "\U0010ffff\U0010ffff", "", "Tag:python"]


@pytest.mark.parametrize("prefix", ["tag:", "tag", "a\U0010ffff", "\ud7ff", "\U0010ffff", "t"])
async def test_a_prefix_range_finds_the_strings_that_begin_with_it(db, prefix):
    await db.words.delete_many({})
    await db.words.insert_many([{"_id": n, "word": word} for n, word in enumerate(WORDS)] + [{"_id": 99, "word": 7}])
    found = {doc["word"] async for doc in db.words.find({"word": starting_with(prefix)})}
    assert found == {word for word in WORDS if word.startswith(prefix)}
