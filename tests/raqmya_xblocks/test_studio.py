"""Tests of the author side: save with full validation, imports with previews, template, author view, XSS."""

from __future__ import annotations

import base64
import io
import json

import pytest
from lxml import etree
from openpyxl import Workbook
from webob import Request

from raqmya_xblocks.spreadsheet import COLUMNS, template_csv

from .conftest import load_block, post_json, question
from .test_olx import rich_question

XSS_TAG = '"><svg onload=alert(1)>'


@pytest.fixture
def block(runtime, four_questions):
    from raqmya_xblocks.assessment.scenarios import scenario_xml  # pylint: disable=import-outside-toplevel

    return load_block(runtime, scenario_xml("Studio", "", four_questions))


def test_save_valid_settings_and_questions(block):
    status, body = post_json(block, "studio_save", {
        "settings": {"display_name": "Nouveau titre", "pool_size": 2, "pass_mark": 80, "weight": None},
        "questions": [question("n1"), question("n2", "b")],
    })
    assert status == 200
    assert body == {"saved": True, "questions": 2}
    assert block.display_name == "Nouveau titre"
    assert block.pool_size == 2
    assert [data["id"] for data in block.questions] == ["n1", "n2"]


def test_save_removes_non_xml_characters(block):
    pasted = question("n1")
    pasted["stem"] = "<p>Copié\x0cd'un PDF\x01</p>"
    pasted["choices"][1]["text"] = "Choice\x00 b"
    status, _body = post_json(block, "studio_save", {"settings": {"display_name": "Titre\x0c"},
                                                     "questions": [pasted]})
    assert status == 200
    assert block.questions[0]["stem"] == "<p>Copié d'un PDF</p>"
    assert block.questions[0]["choices"][1]["text"] == "Choice b"
    assert block.display_name == "Titre "
    node = etree.Element("root")
    block.add_xml_to_node(node)
    assert etree.fromstring(etree.tostring(node))[0].find("stem").text == "<p>Copié d'un PDF</p>"


def test_save_invalid_lists_every_error_and_saves_nothing(block):
    before = [dict(data) for data in block.questions]
    bad = [question("ok"), question("x1", competence="9.9"), question("x2", tracks=["expert"]), question("ok")]
    status, body = post_json(block, "studio_save", {"settings": {"pass_mark": 150, "pool_size": -1}, "questions": bad})
    assert status == 400
    assert body["error"] == "Nothing was saved: correct the errors listed and save again."
    assert [(error["field"], error["question_id"]) for error in body["errors"]] == [
        ("pass_mark", None), ("pool_size", None), ("competence", "x1"), ("tracks", "x2"), ("id", "ok")
    ]
    assert "'9.9'" in body["errors"][2]["message"]
    assert block.questions == before
    assert block.pass_mark == 50


@pytest.mark.parametrize("name, value", [("max_attempts", 2.5), ("max_attempts", "1e3"), ("pool_size", 1.9),
                                         ("pool_size", "1.9")])
def test_save_whole_number_setting_fraction(block, name, value):
    before = getattr(block, name)
    status, body = post_json(block, "studio_save", {"settings": {name: value}})
    assert status == 400
    label = {"max_attempts": "Maximum attempts", "pool_size": "Questions per attempt"}[name]
    assert [(error["field"], error["message"]) for error in body["errors"]] == [
        (name, f"{label}: {value!r} is not valid; write a whole number, 0 or more.")]
    assert getattr(block, name) == before


def _many_faults() -> dict:
    """A question with a fault in nearly every field, and a repeated choice id."""
    data = question("q-faux")
    data.update(stem="<script>x()</script>", competence="6.1", level=0, tracks=["expert"], points=-2, tags="web")
    data["choices"][0]["correct"] = False
    data["choices"][1].update(id="a", correct="oui")
    data["choices"][2]["text"] = ""
    return data


def test_save_lists_every_fault_of_each_question(block):
    before = [dict(data) for data in block.questions]
    bank = [question("ok"), _many_faults(), dict(question("ok", "b"), points=0)]
    status, body = post_json(block, "studio_save", {"questions": bank})
    assert status == 400
    assert [(error["position"], error["question_id"], error["field"]) for error in body["errors"]] == [
        (1, "q-faux", "stem"),
        (1, "q-faux", "choices[1].correct"),
        (1, "q-faux", "choices[2].text"),
        (1, "q-faux", "choices[1].id"),
        (1, "q-faux", "choices.correct"),
        (1, "q-faux", "competence"),
        (1, "q-faux", "tracks"),
        (1, "q-faux", "points"),
        (1, "q-faux", "level"),
        (1, "q-faux", "tags"),
        (2, "ok", "points"),
        (2, "ok", "id"),
    ]
    messages = [error["message"] for error in body["errors"]]
    assert all(message.startswith("Invalid question 2 ('q-faux'): ") for message in messages[:10])
    assert "choice ids ['a'] are repeated" in messages[3]
    assert "0 choices are marked correct" in messages[4]
    assert "points -2" in messages[7]
    assert messages[11] == ("Invalid question 3 ('ok'): id is already used by question 1; "
                            "give every question its own id.")
    assert block.questions == before


def test_save_names_question_without_readable_id(block):
    data = question("x")
    data["id"] = 5
    data.pop("stem")
    status, body = post_json(block, "studio_save", {"questions": [data, "texte"]})
    assert status == 400
    assert [(error["position"], error["question_id"], error["field"]) for error in body["errors"]] == [
        (0, None, "stem"), (0, None, "id"), (1, None, "question")
    ]
    assert body["errors"][0]["message"].startswith("Invalid question 1: question is missing ['stem']")
    assert len(block.questions) == 4


@pytest.mark.parametrize("payload", [[], {"questions": "x"}, {"settings": [], "questions": []}, {"other": 1}])
def test_save_wrong_types_400(block, payload):
    status, body = post_json(block, "studio_save", payload)
    assert status == 400
    assert body["error"]
    assert len(block.questions) == 4


def test_save_huge_body_400(block):
    request = Request.blank("/", method="POST", body=b'{"questions": "' + b"x" * (3 * 1024 * 1024) + b'"}')
    response = block.handle("studio_save", request)
    assert response.status_code == 400
    assert "send at most 2097152 bytes" in json.loads(response.body)["error"]
    assert len(block.questions) == 4


def test_save_refused_to_learner_role(block, monkeypatch):
    from .conftest import LmsUserService  # pylint: disable=import-outside-toplevel

    original = LmsUserService.__init__

    def as_student(self, lms_user_id):
        original(self, lms_user_id)
        self._user.opt_attrs["edx-platform.user_role"] = "student"

    monkeypatch.setattr(LmsUserService, "__init__", as_student)
    status, body = post_json(block, "studio_save", {"settings": {"display_name": "Pirate"}})
    assert status == 403
    assert block.display_name == "Studio"


def _csv(rows: list[dict], bom: bool) -> bytes:
    import csv  # pylint: disable=import-outside-toplevel

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


GOOD_ROW = {"id": "s1", "type": "single", "competence": "1.1", "level": "2", "tracks": "acculturation",
            "points": "1", "stem": "Où est l'étoile ? ⭐", "choice 1": "Ici", "choice 1 correct": "oui",
            "choice 1 feedback": "Bravo 🎉", "choice 2": "هناك", "choice 2 correct": "non"}
BAD_ROW = dict(GOOD_ROW, id="s2", competence="7.1")
DUPLICATE_ROW = dict(GOOD_ROW, id="q1")


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_import_csv_preview_good_and_bad_rows(block, bom):
    content = base64.b64encode(_csv([GOOD_ROW, BAD_ROW, DUPLICATE_ROW], bom)).decode()
    status, body = post_json(block, "import_preview",
                             {"filename": "banque.csv", "content": content, "existing_ids": ["q1"]})
    assert status == 200
    assert [data["id"] for data in body["questions"]] == ["s1"]
    assert body["questions"][0]["choices"][0] == {"id": "a", "text": "Ici", "correct": True, "feedback": "Bravo 🎉"}
    assert body["questions"][0]["stem"] == "Où est l'étoile ? ⭐"
    assert [problem["row"] for problem in body["problems"]] == [3, 4]
    assert "'7.1'" in body["problems"][0]["message"]
    assert "already used" in body["problems"][1]["message"]
    assert len(block.questions) == 4


def _xlsx(rows: list) -> str:
    """Return an XLSX sheet of the import's columns then ``rows`` (``None`` for a blank row), base64-encoded."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([] if row is None else [row.get(name, "") for name in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def test_import_xlsx_preview(block):
    content = _xlsx([GOOD_ROW, BAD_ROW])
    status, body = post_json(block, "import_preview", {"filename": "banque.xlsx", "content": content})
    assert status == 200
    assert [data["id"] for data in body["questions"]] == ["s1"]
    assert body["questions"][0]["level"] == 2
    assert [problem["row"] for problem in body["problems"]] == [3]


def test_import_csv_rows_after_blank_line(block):
    """Rows are numbered as a spreadsheet program shows them: a blank line counts, a quoted line break does not."""
    header, good = _csv([GOOD_ROW], bom=False).decode().split("\r\n", 1)
    multiline = _csv([dict(GOOD_ROW, id="s0", stem="Ligne 1\nLigne 2")], bom=False).decode().split("\r\n", 1)[1]
    bad = _csv([BAD_ROW, dict(BAD_ROW, id="s3")], bom=False).decode().split("\r\n", 1)[1]
    content = f"{header}\r\n{multiline}{good}\r\n{bad}".encode()
    status, body = post_json(block, "import_preview",
                             {"filename": "banque.csv", "content": base64.b64encode(content).decode()})
    assert status == 200
    assert [data["id"] for data in body["questions"]] == ["s0", "s1"]
    assert body["sources"] == [{"row": 2}, {"row": 3}]
    assert [problem["row"] for problem in body["problems"]] == [5, 6]


def test_import_xlsx_rows_after_blank_row(block):
    rows = [GOOD_ROW, None, BAD_ROW, dict(BAD_ROW, id="s3")]
    status, body = post_json(block, "import_preview", {"filename": "banque.xlsx", "content": _xlsx(rows)})
    assert status == 200
    assert [data["id"] for data in body["questions"]] == ["s1"]
    assert [problem["row"] for problem in body["problems"]] == [4, 5]


@pytest.mark.parametrize(
    "payload, fragment",
    [
        ({"filename": "banque.ods", "content": ""}, "neither .csv nor .xlsx"),
        ({"filename": "banque.csv", "content": "@@@"}, "not base64"),
        ({"filename": "banque.csv", "content": base64.b64encode("é".encode("latin-1")).decode()}, "not UTF-8"),
        ({"filename": "banque.xlsx", "content": base64.b64encode(b"not a zip").decode()}, "cannot be read"),
    ],
)
def test_import_unreadable_file_400(block, payload, fragment):
    status, body = post_json(block, "import_preview", payload)
    assert status == 400
    assert fragment in body["error"]


def test_template_round_trips_through_import(block):
    response = block.handle("import_template", Request.blank("/"))
    assert response.body.startswith("\ufeff".encode("utf-8"))
    assert response.content_type == "text/csv"
    status, body = post_json(block, "import_preview", {"filename": "t.csv",
                                                       "content": base64.b64encode(template_csv()).decode()})
    assert status == 200
    assert body["problems"] == []
    assert [data["id"] for data in body["questions"]] == ["q-phishing"]


PROBLEMS = """<library>
<problem url_name="mcq1" display_name="Mot de passe">
  <multiplechoiceresponse>
    <label>Quel mot de passe est le plus sûr ?</label>
    <choicegroup type="MultipleChoice">
      <choice correct="false">123456<choicehint>Trop court.</choicehint></choice>
      <choice correct="true">Une longue phrase de passe<choicehint>Oui !</choicehint></choice>
    </choicegroup>
  </multiplechoiceresponse>
</problem>
<problem url_name="cb1">
  <choiceresponse>
    <label>Quelles données sont personnelles ?</label>
    <checkboxgroup>
      <choice correct="true">Le nom</choice>
      <choice correct="true">L'adresse</choice>
      <choice correct="false">La météo</choice>
    </checkboxgroup>
  </choiceresponse>
</problem>
<problem url_name="num1"><numericalresponse answer="4"><label>2+2</label></numericalresponse></problem>
</library>"""


def test_import_problems_preview(block):
    status, body = post_json(block, "import_preview", {"olx": PROBLEMS, "competence": "4.1",
                                                       "tracks": ["perfectionnement"]})
    assert status == 200
    first, second = body["questions"]
    assert first["type"] == "single"
    assert first["stem"] == "Quel mot de passe est le plus sûr ?"
    assert first["choices"][0] == {"id": "c1", "text": "123456", "correct": False, "feedback": "Trop court."}
    assert first["competence"] == "4.1"
    assert second["type"] == "multiple"
    assert [choice["correct"] for choice in second["choices"]] == [True, True, False]
    assert body["problems"][0]["problem"] == "num1"
    assert "numericalresponse" in body["problems"][0]["message"]


def test_import_problems_not_xml_400(block):
    status, body = post_json(block, "import_preview", {"olx": "<problem>\n<label>x</problem>", "competence": "4.1"})
    assert status == 400
    assert body["error"] == (
        "The pasted text is not well-formed XML: the first error is on line 2, column 19. Paste one or more "
        "<problem> elements as a course export contains them, each with its closing tag.")


def test_import_problems_side_by_side(block):
    """Problems pasted one after the other, with no common root, are all read."""
    pasted = '<?xml version="1.0" encoding="utf-8"?>\n' + PROBLEMS.replace("<library>", "").replace("</library>", "")
    status, body = post_json(block, "import_preview", {"olx": pasted, "competence": "4.1"})
    assert status == 200
    assert [question["id"] for question in body["questions"]] == ["mcq1", "cb1"]
    assert [problem["problem"] for problem in body["problems"]] == ["num1"]


def test_c07_studio_view_shows_tag_as_text(block):
    data = rich_question()
    data["tags"] = [XSS_TAG]
    data["stem"] = "<b>ok</b><script>alert(1)</script>"
    block.questions = [data]
    html = block.render("studio_view", {}).content
    assert "<svg" not in html
    assert "<script>alert" not in html
    assert "\\u003csvg onload=alert(1)\\u003e" in html


def test_c07_author_view_escapes_tag(block):
    data = rich_question()
    data["tags"] = [XSS_TAG]
    block.questions = [data]
    html = block.render("author_view", {}).content
    assert "<svg" not in html
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in html


def test_author_view_previews_each_track(runtime):
    from raqmya_xblocks.assessment.scenarios import scenario_xml  # pylint: disable=import-outside-toplevel

    pool = [question("both"), question("pro", tracks=["perfectionnement"]), question("pub", tracks=["acculturation"])]
    html = load_block(runtime, scenario_xml("Tracks", "", pool)).render("author_view", {}).content
    assert "Track Perfectionnement digital: 2 questions" in html
    assert "Track Acculturation digitale: 2 questions" in html
    assert html.count("(Correct answer)") == 4


def _problem_preview(block, **defaults):
    payload = {"olx": PROBLEMS, "competence": "4.1", "level": 3, "tracks": ["perfectionnement"], "points": 2}
    payload.update(defaults)
    status, body = post_json(block, "import_preview", payload)
    assert status == 200
    return body


def test_problem_preview_prefills_defaults(block):
    body = _problem_preview(block)
    assert body["sources"] == [{"problem": "Mot de passe"}, {"problem": "cb1"}]
    assert [{key: data[key] for key in ("id", "competence", "level", "tracks", "points")}
            for data in body["questions"]] == [
        {"id": "mcq1", "competence": "4.1", "level": 3, "tracks": ["perfectionnement"], "points": 2},
        {"id": "cb1", "competence": "4.1", "level": 3, "tracks": ["perfectionnement"], "points": 2},
    ]


def test_import_confirm_keeps_each_problem_values_then_save(block):
    body = _problem_preview(block)
    first, second = body["questions"]
    first.update(competence="2.3", level=5, tracks=["acculturation"], points=1.5)
    status, confirmed = post_json(block, "import_confirm", {"questions": [first, second], "sources": body["sources"],
                                                            "existing_ids": ["q1", "q2", "q3", "q4"]})
    assert status == 200
    assert [(data["id"], data["competence"], data["level"], data["tracks"], data["points"])
            for data in confirmed["questions"]] == [
        ("mcq1", "2.3", 5, ["acculturation"], 1.5), ("cb1", "4.1", 3, ["perfectionnement"], 2)
    ]
    assert len(block.questions) == 4  # confirming adds to the editor; Save stores
    status, _body = post_json(block, "studio_save", {"questions": block.questions + confirmed["questions"]})
    assert status == 200
    assert [(data["id"], data["competence"]) for data in block.questions[4:]] == [("mcq1", "2.3"), ("cb1", "4.1")]


def test_import_confirm_names_the_problem_of_each_fault(block):
    body = _problem_preview(block)
    first, second = body["questions"]
    first["competence"] = "9.9"
    second.update(level=12, tracks=[], points="deux")
    status, refused = post_json(block, "import_confirm", {"questions": [first, second], "sources": body["sources"]})
    assert status == 400
    assert refused["error"] == "Nothing was added: correct the errors listed and confirm again."
    assert [(error.get("problem"), error["question_id"], error["field"]) for error in refused["errors"]] == [
        ("Mot de passe", "mcq1", "competence"), ("cb1", "cb1", "tracks"), ("cb1", "cb1", "points"),
        ("cb1", "cb1", "level"),
    ]
    assert refused["errors"][0]["message"].startswith(
        "Problem Mot de passe: competence '9.9' is not")
    assert refused["errors"][3]["message"].startswith("Problem cb1: level 12")
    assert len(block.questions) == 4


def test_import_confirm_spreadsheet_rows_and_repeated_ids(block):
    content = base64.b64encode(_csv([GOOD_ROW, dict(GOOD_ROW, id="s3")], bom=True)).decode()
    status, body = post_json(block, "import_preview", {"filename": "banque.csv", "content": content})
    assert status == 200
    assert body["sources"] == [{"row": 2}, {"row": 3}]
    first, second = body["questions"]
    second["id"] = "q1"
    first["tracks"] = ["acculturation", "expert"]
    status, refused = post_json(block, "import_confirm", {"questions": [first, second], "sources": body["sources"],
                                                          "existing_ids": ["q1"]})
    assert status == 400
    assert [(error["row"], error["field"]) for error in refused["errors"]] == [(2, "tracks"), (3, "id")]
    assert refused["errors"][1]["message"] == "Row 3: id 'q1' is already used; give the question its own id."


def test_import_preview_invalid_default_names_each_problem(block):
    body = _problem_preview(block, competence="")
    assert body["questions"] == []
    assert [problem["problem"] for problem in body["problems"]] == ["Mot de passe", "cb1", "num1"]
    assert "competence ''" in body["problems"][0]["message"]


@pytest.mark.parametrize("payload", [[], {"questions": "x"}, {"sources": []}])
def test_import_confirm_wrong_shape_400(block, payload):
    status, body = post_json(block, "import_confirm", payload)
    assert status == 400
    assert body["error"].startswith('Send a JSON object with "questions"')


def test_import_confirm_without_sources_numbers_items(block):
    status, refused = post_json(block, "import_confirm", {"questions": [question("n1"), "x"]})
    assert status == 400
    assert refused["errors"][0]["item"] == 2
    assert refused["errors"][0]["message"].startswith("Imported question 2: str 'x' is not an object;")
