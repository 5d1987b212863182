"""Bounded input (issue 16, item 2): every upload limit is checked before or while the file is
read, refused in a moment with the limit named; problems past the first 200 are counted, not
listed; values must be finite, whole where they count people, and sane in size; no message
shows internal exception text or a temporary path.

All crafted files here are FIXTURES written into tmp_path or built in memory: a zip bomb
.xlsx declaring a million rows, a CSV over the size limit, CSVs over the row limit, rows of
bad values. The real data/ is never touched (each test works on a copy, checked unchanged).
"""

import io
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from dashboard.build.validation import FIGURE_COLUMNS, Problem
from dashboard.problems import MAX_LISTED, total_problems
from dashboard.update.figures import DOCUMENT_COLUMNS
from dashboard.update.parse import (
    LIMITS,
    MAX_BYTES,
    Limits,
    UploadError,
    plain,
    read_upload,
    text_lines,
)
from dashboard.update.plan import plan_update

from helpers.update_fixtures import (
    FIXTURE_DOCUMENT_ROW,
    FIXTURE_TEXT,
    RUTLAND_CSE,
    data_files,
    figures_csv,
)

FAST = 2.0  # seconds: a crafted file is refused before it costs the server anything
LEAKS = ("Error(", "Traceback", "/tmp", "Exception", "dashboard-update-")


def refused_quickly(name: str, content: bytes) -> str:
    """read_upload's refusal of a crafted file, timed."""
    start = time.perf_counter()
    with pytest.raises(UploadError) as refusal:
        read_upload(name, content)
    assert time.perf_counter() - start < FAST
    return str(refusal.value)


def no_leaks(messages: list[str]) -> None:
    for message in messages:
        assert not any(leak in message for leak in LEAKS), message


# FIXTURES: crafted .xlsx files ----------------------------------------------------------


def workbook_bytes(rows: list[list[object]], title: str = "figures") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def deflated_sheet(content: bytes, chunks, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename == member:
                with target.open(member, "w", force_zip64=True) as stream:
                    for chunk in chunks:
                        stream.write(chunk)
            else:
                target.writestr(info.filename, source.read(info.filename))
    return out.getvalue()


SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:M1048576"/><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def header_row() -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{column}</t></is></c>'
        for i, column in enumerate(FIGURE_COLUMNS)
    )
    return f'<row r="1">{cells}</row>'.encode()


def empty_styled_rows(first: int, count: int, per_chunk: int = 20_000):
    for start in range(first, first + count, per_chunk):
        yield b"".join(
            b'<row r="%d"><c r="M%d" s="0"/></row>' % (n, n)
            for n in range(start, min(start + per_chunk, first + count))
        )


BOMB_ROW = b'<row><c s="0"/></row>'  # no row number: identical rows compress ~1000 times


def bomb_chunks(target_bytes: int):
    """FIXTURE: a sheet that declares A1:M1048576 and is almost all formatted empty rows."""
    yield SHEET_HEAD + header_row()
    chunk = BOMB_ROW * 50_000
    for _ in range(target_bytes // len(chunk) + 1):
        yield chunk
    yield SHEET_TAIL


def test_many_blank_rows_stop_the_reading():
    chunks = [SHEET_HEAD + header_row(), *empty_styled_rows(2, 200_000), SHEET_TAIL]
    content = deflated_sheet(workbook_bytes([list(FIGURE_COLUMNS)]), chunks)
    message = refused_quickly("blank.xlsx", content)
    assert "the sheet has more than 10,000 blank rows" in message


def test_zip_bomb_over_the_unzipped_limit_is_refused_from_the_directory():
    plain_book = workbook_bytes([list(FIGURE_COLUMNS)])
    bomb = deflated_sheet(plain_book, bomb_chunks(LIMITS.unzipped_bytes + 1024 * 1024))
    assert len(bomb) < LIMITS.bytes
    message = refused_quickly("bomb.xlsx", bomb)
    assert "unpacks to 201 MB; the limit is 200 MB" in message


def test_zip_bomb_member_with_a_huge_ratio_is_refused():
    plain_book = workbook_bytes([list(FIGURE_COLUMNS)])
    bomb = deflated_sheet(plain_book, bomb_chunks(30 * 1024 * 1024))
    message = refused_quickly("bomb.xlsx", bomb)
    assert "part xl/worksheets/sheet1.xml unpacks to" in message
    assert f"the limit is {LIMITS.ratio} times" in message


def test_declared_dimension_is_not_trusted_and_blank_rows_are_skipped():
    """A sheet declaring A1:M1048576 with a few thousand formatted empty rows below its one
    figure reads as that one figure, in a moment."""
    figure = [RUTLAND_CSE[c] for c in FIGURE_COLUMNS]
    row2 = "".join(
        f'<c r="{chr(65 + i)}2" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(figure)
        if value
    )
    chunks = [SHEET_HEAD + header_row(), f'<row r="2">{row2}</row>'.encode()]
    chunks += list(empty_styled_rows(3, 5_000)) + [SHEET_TAIL]
    content = deflated_sheet(workbook_bytes([list(FIGURE_COLUMNS)]), chunks)
    start = time.perf_counter()
    upload = read_upload("f.xlsx", content)
    assert time.perf_counter() - start < FAST
    assert upload.figures.header == FIGURE_COLUMNS
    assert upload.figures.rows == (tuple(figure),)


def test_too_many_real_rows_in_a_workbook_stop_the_reading():
    rows = (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(2, LIMITS.rows + 20_000)
    )
    chunks = [SHEET_HEAD + header_row(), b"".join(rows), SHEET_TAIL]
    content = deflated_sheet(workbook_bytes([list(FIGURE_COLUMNS)]), chunks)
    start = time.perf_counter()
    with pytest.raises(UploadError) as refusal:
        read_upload("many.xlsx", content)
    assert time.perf_counter() - start < 15  # 100,000 real rows are read before the refusal
    message = str(refusal.value)
    assert (
        "the sheet has more than 100,000 rows; the limit is 100,000: upload only the new rows"
        in (message)
    )


def test_too_many_columns_sheets_and_a_cell_too_long():
    wide = workbook_bytes([[f"c{i}" for i in range(LIMITS.columns + 1)]])
    assert "more than 60 columns; the limit is 60" in refused_quickly("wide.xlsx", wide)
    book = Workbook()
    for i in range(LIMITS.sheets):
        book.create_sheet(f"s{i}")
    out = io.BytesIO()
    book.save(out)
    assert "the workbook has 11 sheets; the limit is 10" in refused_quickly(
        "s.xlsx", out.getvalue()
    )
    long_quote = figures_csv({**RUTLAND_CSE, "quote": "x" * (LIMITS.cell_chars + 1)})
    message = refused_quickly("long.csv", long_quote)
    assert "row 2: the cell in column 12 has 10,001 characters; the limit is 10,000" in message


# FIXTURES: crafted CSV files ------------------------------------------------------------


def test_csv_over_the_size_limit_is_refused_at_once(tmp_path):
    fixture = tmp_path / "sixty_mb.csv"  # FIXTURE: 60 MB of rows
    line = b",".join(RUTLAND_CSE[c].encode() for c in FIGURE_COLUMNS) + b"\n"
    with fixture.open("wb") as out:
        out.write(",".join(FIGURE_COLUMNS).encode() + b"\n")
        out.write(line * (60 * 1024 * 1024 // len(line) + 1))
    content = fixture.read_bytes()
    assert len(content) > MAX_BYTES
    assert refused_quickly("sixty_mb.csv", content) == (
        "sixty_mb.csv: the file is 60 MB; the limit is 50 MB. Upload only the new rows (for DfE "
        "files, the published CSV of one table)."
    )


def test_csv_over_the_row_limit_is_refused(tmp_path):
    fixture = tmp_path / "rows.csv"  # FIXTURE: 150,000 rows of one figure
    fixture.write_bytes(figures_csv(*[RUTLAND_CSE] * 150_000))
    message = refused_quickly("rows.csv", fixture.read_bytes())
    assert message == (
        "rows.csv: the sheet has more than 100,000 rows; the limit is 100,000: upload only the "
        "new rows (for DfE files, the published CSV of one table)"
    )


@pytest.mark.parametrize(
    "crafted",
    [b"a," * (25 * 1024 * 1024), b'"a\n",' * (8 * 1024 * 1024)],
    ids=["one 50 MB line", "one quoted cell a line"],
)
def test_a_row_longer_than_the_limit_is_refused_before_it_is_built(crafted):
    """FIXTURES: a row of millions of cells, on one line or spread over many; the csv module
    would hold every cell before the column limit could count them."""
    assert refused_quickly("one_row.csv", crafted) == (
        "one_row.csv, row 1: the row is longer than 1,000,000 characters; the limit is "
        "1,000,000 (perhaps a quote mark is not closed): upload the template filled in, saved "
        "as .xlsx or 'CSV UTF-8'"
    )


def test_the_row_limit_counts_a_row_over_all_its_lines():
    limits = Limits(row_chars=20)
    fits = b"a,b\nTEST,FIXTURE 123456\n"  # 20 characters with the line break
    assert read_upload("f.csv", fits, limits).figures.rows == (("TEST", "FIXTURE 123456"),)
    spread = b'a,b\nTEST,"FIXTURE\n1234567\n890"\n'
    with pytest.raises(UploadError) as refusal:
        read_upload("f.csv", spread, limits)
    assert refusal.value.problem.row == 2
    assert "the row is longer than 20 characters" in refusal.value.problem.reason


def test_repeated_short_cells_are_read_as_one_string(monkeypatch):
    """Read memory: a table repeats its codes and years on every row; each is kept once, up to
    SHARED_TEXTS distinct texts, and the rows read the same."""
    rows = [{**RUTLAND_CSE, "breakdown": f"test fixture {i}"} for i in range(3)]
    sheet = read_upload("f.csv", figures_csv(*rows)).figures
    area = sheet.header.index("area")
    assert sheet.rows[0][area] is sheet.rows[2][area]
    monkeypatch.setattr("dashboard.update.parse.SHARED_TEXTS", 0)
    assert read_upload("f.csv", figures_csv(*rows)).figures == sheet


def test_control_characters_in_a_cell_are_refused():
    message = refused_quickly("c.csv", figures_csv({**RUTLAND_CSE, "note": "a\x01b"}))
    assert message.startswith("c.csv, row 2: holds an invisible control character (code 1")


def test_csv_lines_are_read_the_same_whatever_their_line_breaks():
    """The CSV is decoded a line at a time (never held as one string): LF, CRLF and CR line
    breaks, and breaks inside a quoted cell, give the same rows and row numbers."""
    content = figures_csv(RUTLAND_CSE, {**RUTLAND_CSE, "note": "TEST FIXTURE a\nb\r\nc\rd"})
    expected = read_upload("f.csv", content).figures
    assert expected.row_numbers == (2, 6)
    assert expected.rows[1][-1] == "TEST FIXTURE a\nb\r\nc\rd"
    for newline in (b"\r\n", b"\r"):
        lines = content.split(b"\n", 2)  # header and first row; the quoted breaks stay as they are
        changed = newline.join(lines[:2]) + newline + lines[2]
        assert read_upload("f.csv", changed).figures == expected
    with_mark = read_upload("f.csv", b"\xef\xbb\xbf" + content).figures
    assert with_mark == expected


@pytest.mark.parametrize("chunk", [1, 7, 64, 1024 * 1024])
def test_wrong_encoding_is_found_where_a_whole_decode_finds_it(monkeypatch, chunk):
    """UTF-8 is checked a chunk at a time; the first bad byte and its line are the same as a
    decode of the whole file would give, with or without a byte-order mark before it."""
    monkeypatch.setattr("dashboard.update.parse.DECODE_CHUNK", chunk)
    body = "TEST FIXTURE naïve ☃ 😀\n".encode() * 40
    for tail, line, byte in [
        (b"caf\xe9\n", 41, 0xE9),
        (b"\xe2\n\x82", 41, 0xE2),
        (b"\xf0\x9f", 41, 0xF0),
    ]:
        for mark in (b"", b"\xef\xbb\xbf"):
            message = refused_quickly("f.csv", mark + body + tail + b"more\n")
            assert message == (
                f"f.csv, row {line}: wrong encoding: byte 0x{byte:02x} is not UTF-8 text; in "
                "Excel use Save As > 'CSV UTF-8 (Comma delimited)'"
            )
    assert read_upload("f.csv", b"a,b\n" + body).figures.rows[-1] == (
        "TEST FIXTURE naïve ☃ 😀",
        "",
    )


# Values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("inf", "a count must be a finite number written in digits, like 1234 or 12.5 (got 'inf')"),
        ("Infinity", "a count must be a finite number written in digits"),
        ("-inf", "a count must be a finite number written in digits"),
        ("nan", "a count must be a finite number written in digits"),
        ("1e400", "a count must be a finite number written in digits"),
        ("1e300", "a count cannot be beyond 100,000,000 (got 1e+300); check the figure"),
        ("700.5", "a count must be a whole number (got 700.5)"),
    ],
)
def test_impossible_counts_are_refused(prepared, value, reason):
    before = data_files(prepared.root)
    plan = plan_update("f.csv", figures_csv({**RUTLAND_CSE, "value": value}), prepared)
    assert not plan.ready
    [message] = plan.messages
    assert message.startswith(f"f.csv, row 2, field value: {reason}")
    assert data_files(prepared.root) == before


def test_bad_rows_are_counted_past_the_first_200(prepared):
    """FIXTURE: 20,000 rows with a value that is not a number and a bad period: 200 problems
    listed, the rest counted by field and reason in one line."""
    rows = [{**RUTLAND_CSE, "value": f"x{i}", "year_end": "twenty"} for i in range(20_000)]
    start = time.perf_counter()
    plan = plan_update("bad.csv", figures_csv(*rows), prepared)
    elapsed = time.perf_counter() - start
    messages = plan.messages
    assert len(messages) == MAX_LISTED + 1
    assert (
        messages[0]
        == "bad.csv, row 2, field year_end: cannot be read as a whole number (got 'twenty')"
    )
    assert messages[-1].startswith("bad.csv: and 39,800 more problems of the same kinds")
    assert "x field value: cannot be read as a number" in messages[-1]
    assert "x field year_end: cannot be read as a whole number" in messages[-1]
    assert total_problems(plan.rejected["Reason"]) == 40_000
    assert len(messages[-1]) < 1_000
    assert elapsed < 60


def test_more_figures_than_one_full_check_holds_are_refused_before_it(prepared):
    """FIXTURES: 20,001 figures, and 1,001 figures of 10,000-character notes (10 million
    characters): refused after the read, before any check or build, with the limit named."""
    many = [{**RUTLAND_CSE, "breakdown": f"test fixture {i}"} for i in range(20_001)]
    long_note = {**RUTLAND_CSE, "note": "TEST FIXTURE " + "x" * 9_987}
    for rows, found, limit, what in [
        (many, "20,001", "20,000", "figures"),
        (
            [long_note] * 1_001,
            f"{1_001 * sum(map(len, long_note.values())):,}",
            "10,000,000",
            "characters of text",
        ),
    ]:
        start = time.perf_counter()
        plan = plan_update("many.csv", figures_csv(*rows), prepared)
        assert time.perf_counter() - start < FAST
        assert plan.messages == [
            f"many.csv: the file holds {found} {what}; the limit for one upload of figures is "
            f"{limit} (the reports of 2008 to 2025 hold about 600 figures in all): upload a "
            "year's figures at a time"
        ]


def shared_text_workbook(text: str, rows: int, columns: int) -> bytes:
    """FIXTURE: an .xlsx as Excel writes one, its cells pointing into a shared-strings table:
    every cell of the figures sheet holds `text`, stored once."""
    cells = "".join('<c t="s"><v>0</v></c>' for _ in range(columns))
    sheet = "".join(f'<row r="{r}">{cells}</row>' for r in range(1, rows + 1))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook_bytes([["x"]]))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, rest = content.split(b"<sheetData>", 1)
                content = head + f"<sheetData>{sheet}".encode() + rest.split(b"</row>", 1)[1]
            elif item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item, content)
        target.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            f'uniqueCount="1"><si><t>{text}</t></si></sst>',
        )
    return out.getvalue()


def test_a_sheet_repeating_a_long_text_is_refused_by_its_characters():
    """FIXTURE: 100 rows of 60 cells sharing one text of 10,000 characters: a 40 kB file that
    unpacks into 60 million characters."""
    text = "TEST FIXTURE " + "x" * (LIMITS.cell_chars - 13)
    content = shared_text_workbook(text, rows=100, columns=LIMITS.columns)
    assert len(content) < 100_000
    assert refused_quickly("repeat.xlsx", content) == (
        "repeat.xlsx (sheet figures), row 89: the sheet holds more than 52,428,800 characters "
        "of text by this row; the limit is 52,428,800: upload only the new rows (for DfE files, "
        "the published CSV of one table)"
    )


def test_a_text_file_with_nul_bytes_is_refused(dirs):
    book = Workbook()
    figures = book.active
    figures.title = "figures"
    figures.append(list(FIGURE_COLUMNS))
    figures.append([{**RUTLAND_CSE, "document": "test_fixture_b.txt"}[c] for c in FIGURE_COLUMNS])
    documents = book.create_sheet("documents")
    documents.append(list(DOCUMENT_COLUMNS))
    documents.append(["test_fixture_b.txt", *FIXTURE_DOCUMENT_ROW[1:]])
    out = io.BytesIO()
    book.save(out)
    texts = {"test_fixture_b.txt": FIXTURE_TEXT.encode() + b"\x00hidden\n"}
    before = data_files(dirs.root)
    plan = plan_update("b.xlsx", out.getvalue(), dirs, texts)
    assert not plan.ready
    assert plan.messages[0] == (
        "test_fixture_b.txt, row 2: holds an invisible control character (code 0, at character "
        "1) that cannot be shown or printed; delete it (it often comes from copying out of a PDF)"
    )
    assert data_files(dirs.root) == before


# No internal text ----------------------------------------------------------------------


def test_no_message_shows_exception_text_or_a_temporary_path(prepared):
    bad_zip = workbook_bytes([list(FIGURE_COLUMNS)])
    damaged = bad_zip[:200] + b"\x00" * 50 + bad_zip[250:]
    uploads = {
        "year.csv": figures_csv({**RUTLAND_CSE, "year_end": "abc"}),
        "year2.csv": figures_csv({**RUTLAND_CSE, "year_end": "1e5"}),
        "quote.csv": figures_csv({**RUTLAND_CSE, "quote": 'an "unclosed'}),
        "unclosed.csv": b'figure_id,indicator_id\n"a,b\n',
        "damaged.xlsx": damaged,
        "truncated.xlsx": bad_zip[: len(bad_zip) // 2],
        "inf.csv": figures_csv({**RUTLAND_CSE, "value": "inf"}),
    }
    for name, content in uploads.items():
        plan = plan_update(name, content, prepared)
        assert not plan.ready
        no_leaks(plan.messages)
    staged = Problem("/tmp/dashboard-update-abc123/sources/figures/x.csv", 3, "value", "bad")
    assert str(plain(staged)) == "data/sources/figures/x.csv, row 3, field value: bad"


@given(st.text(alphabet='ab,"\r\n ', max_size=60))
def test_csv_lines_are_split_as_a_text_file_would_be(text):
    assert list(text_lines(text.encode())) == io.StringIO(text, newline="").readlines()
