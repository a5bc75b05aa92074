"""Configuration: defaults < app.cfg < environment < command line; bad values stop start-up."""

import subprocess
import sys
from pathlib import Path

import pytest

from tornadogists.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_layers_override_each_other_in_order(tmp_path):
    cfg = tmp_path / "app.cfg"
    cfg.write_text("[tornadogists]\nport = 9000\nsite_url = https://gists.example\ndebug = yes\n")
    settings = load_settings(["--port=9002"], {"TORNADOGISTS_PORT": "9001", "TORNADOGISTS_ADMINS": "Ada, bob@x.org"}, cfg)
    assert settings.port == 9002
    assert settings.site_url == "https://gists.example" and settings.secure_cookies
    assert settings.debug is True
    assert settings.admin_names == {"ada", "bob@x.org"}
    assert load_settings([], {"TORNADOGISTS_PORT": "9001"}, cfg).port == 9001
    assert load_settings([], {}, tmp_path / "missing.cfg") == Settings()


def test_the_shipped_app_cfg_holds_the_defaults():
    assert load_settings([], {}, ROOT / "app.cfg") == Settings()


@pytest.mark.parametrize("argv, environ, named", [
    (["--port=eighty"], {}, "'port'"),
    (["--port=70000"], {}, "'port'"),
    ([], {"TORNADOGISTS_DEBUG": "maybe"}, "'debug'"),
    (["--mongodb_uri=postgres://x"], {}, "'mongodb_uri'"),
    (["--site_url=gists.example"], {}, "'site_url'"),
    (["--mail_backend=pigeon"], {}, "'mail_backend'"),
    (["--max_file_bytes=0"], {}, "'max_file_bytes'"),
    (["--processes=-1"], {}, "'processes'"),
    (["--image_proxy_max_bytes=0"], {}, "'image_proxy_max_bytes'"),
    (["--image_proxy_cache_bytes=-1"], {}, "'image_proxy_cache_bytes'"),
    (["--colour=red"], {}, "unknown setting 'colour'"),
    ([], {"TORNADOGISTS_COLOUR": "red"}, "unknown setting 'colour'"),
    (["port=1"], {}, "bad argument 'port=1'"),
])
def test_a_bad_or_unknown_setting_is_named(argv, environ, named, tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(argv, environ, tmp_path / "none.cfg")
    assert named in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bad_value_stops_run_py_with_one_line():
    result = subprocess.run([sys.executable, "run.py", "--port=eighty"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "'port'" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_every_option():
    result = subprocess.run([sys.executable, "run.py", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    for name in ("--port=", "--mongodb_uri=", "--github_api_url=", "--max_file_bytes="):
        assert name in result.stdout
