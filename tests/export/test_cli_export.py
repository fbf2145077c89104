"""`earful export` and `earful redact` on a real library."""

from __future__ import annotations

from app.cli import main
from tests.export.conftest import PEOPLE


def test_pack_writes_the_chosen_formats_and_reports_redactions_first(pack_library, tmp_path, capsys):
    library, ids = pack_library
    args = f"--library {library.root} export {ids[0]} {ids[1]} --anonymise --format csv --format md --out {tmp_path / 'out'} --name Q4"
    assert main(args.split()) == 0
    out, err = capsys.readouterr()
    assert out.split("\n")[:2] == [str(tmp_path / "out" / "Q4 quotes.csv"), str(tmp_path / "out" / "Q4.md")]
    report = err.index("Redacted before saving:")
    assert f"{PEOPLE[0].customer_name}" in err[report:]
    assert err.index("[  0%]") > report, "the report comes before anything is written"
    assert PEOPLE[0].customer_name not in (tmp_path / "out" / "Q4.md").read_text(encoding="utf-8")


def test_report_only_writes_nothing(pack_library, tmp_path, capsys):
    library, _ids = pack_library
    args = f"--library {library.root} export --all --anonymise --report-only --out {tmp_path / 'out'}"
    assert main(args.split()) == 0
    assert "Redacted before saving:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_redaction_terms_are_added_listed_and_removed(library, capsys):
    base = f"--library {library.root} redact"
    assert main([*base.split(), "add", "Gregor Novak", "TX-42", "tx-42"]) == 0
    assert capsys.readouterr().out.splitlines() == ["Gregor Novak", "TX-42"]
    assert main([*base.split(), "remove", "gregor novak"]) == 0
    assert main([*base.split(), "list"]) == 0
    assert capsys.readouterr().out.splitlines()[-1:] == ["TX-42"]


def test_a_pack_of_nothing_or_of_unknown_interviews_is_refused(library, tmp_path, capsys):
    assert main(f"--library {library.root} export --out {tmp_path}".split()) == 2  # a wrong command line
    assert "Name the interviews" in capsys.readouterr().err
    assert main(f"--library {library.root} export 41 --out {tmp_path}".split()) == 1  # a refused request
    assert "There is no interview 41" in capsys.readouterr().err
