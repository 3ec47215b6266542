"""Editor accounts in the secrets file, the login mode, and the submission rate limiter."""

import io
import tomllib

import pytest

from core import users
from core.cli import main
from core.ratelimit import RateLimiter

PASSWORD = "correct horse battery"


def test_add_user_hashes_and_verify_checks(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text(
        '# keep me\ncookie = "x"\n\n[editors]\nold = "not-a-hash"\n\n[review]\nallow_self_approval = true\n'
    )
    users.add_user("alice", PASSWORD, path)
    users.add_user("bob.smith@example.org", PASSWORD + "!", path)
    text = path.read_text()
    assert PASSWORD not in text and "$argon2id$" in text and "# keep me" in text
    secrets = tomllib.loads(text)
    assert secrets["cookie"] == "x" and secrets["review"] == {"allow_self_approval": True}
    assert users.editors(secrets) == {"alice", "bob.smith@example.org", "old"}
    assert users.verify("alice", PASSWORD, secrets)
    assert not users.verify("alice", PASSWORD + "!", secrets)
    assert not users.verify("nobody", PASSWORD, secrets)
    assert not users.verify("old", "not-a-hash", secrets)  # a malformed hash never matches
    policy = users.policy(secrets)
    assert policy.allow_self_approval and not policy.single_user
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("name", ['a"b', "a b", "", "x" * 65, "../etc", "ä"])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(users.UserError):
        users.add_user(name, PASSWORD, tmp_path / "s.toml")
    assert not (tmp_path / "s.toml").exists()


def test_short_passwords_are_refused(tmp_path):
    with pytest.raises(users.UserError, match="at least"):
        users.add_user("alice", "short", tmp_path / "s.toml")


@pytest.mark.parametrize(
    ("secrets", "mode"),
    [
        ({}, "single-user"),
        ({"editors": {"alice": "$argon2id$..."}}, "password"),
        (
            {
                "auth": {
                    "client_id": "x",
                    "client_secret": "y",
                    "redirect_uri": "http://localhost:8501/oauth2callback",
                    "cookie_secret": "z",
                    "server_metadata_url": "https://id.example/.well-known/openid-configuration",
                }
            },
            "oidc",
        ),
        ({"auth": {"redirect_uri": "u", "cookie_secret": "c", "google": {"client_id": "x"}}}, "oidc"),
        ({"auth": {}}, "single-user"),
    ],
)
def test_login_mode(secrets, mode):
    assert users.login_mode(secrets) == mode


def test_cli_user_add_reads_the_password_from_stdin(tmp_path, monkeypatch, capsys):
    path = tmp_path / ".streamlit" / "secrets.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "carol", "--password-stdin", "--secrets", str(path)]) == 0
    assert users.verify("carol", PASSWORD, users.load_secrets(path))
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "dave", "--password-stdin", "--secrets", str(path)]) == 2
    assert "at least" in capsys.readouterr().err


def test_cli_user_add_prompts_twice_and_refuses_a_mismatch(tmp_path, monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "add", "erin", "--secrets", str(tmp_path / "s.toml")]) == 2
    assert "differ" in capsys.readouterr().err and not (tmp_path / "s.toml").exists()


def test_example_secrets_file_parses_and_is_single_user():
    example = users.REPO_DIR / ".streamlit" / "secrets.toml.example"
    secrets = tomllib.loads(example.read_text())
    assert users.login_mode(secrets) == "single-user"  # everything in it is commented out


def test_rate_limiter_allows_n_per_window_per_key():
    limiter = RateLimiter(limit=3, window=60)
    assert [limiter.check("s1", now=t) for t in (0, 1, 2)] == [0, 0, 0]
    assert limiter.check("s1", now=3) == pytest.approx(57)
    assert limiter.check("s2", now=3) == 0  # another session has its own budget
    assert limiter.remaining("s1", now=3) == 0
    assert limiter.check("s1", now=60.5) == 0  # the first hit left the window
