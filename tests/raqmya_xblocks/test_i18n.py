"""C16: labels translated at render time into the learner's language, right to left in Arabic, in every view."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from devstack.services import DevstackI18nService
from raqmya_xblocks.assessment.scenarios import scenario_xml
from raqmya_xblocks.conf.js_catalogue import catalogue_js

from .conftest import RecordingRuntime, load_block, post_json, submit

ALL_RIGHT = {"q1": "a", "q2": "b", "q3": "c", "q4": "a"}


def _block(db, four_questions, **settings):
    runtime = RecordingRuntime(i18n_factory=DevstackI18nService)
    return load_block(runtime, scenario_xml("Évaluation", "", four_questions, max_attempts=3, **settings))


def test_c16_arabic_then_french_student_view(db, four_questions):
    block = _block(db, four_questions, show_answer="always")
    with translation.override("ar"):
        submit(block, ALL_RIGHT)
        arabic = block.render("student_view", {}).content
    with translation.override("fr"):
        french = block.render("student_view", {}).content
    assert 'dir="rtl"' in arabic
    assert 'lang="ar"' in arabic
    assert ">إرسال</button>" in arabic
    assert "المحاولات المتبقية: 2" in arabic
    assert "(الإجابة الصحيحة)" in arabic
    assert ">Valider</button>" in french
    assert "Tentatives restantes\u00a0: 2" in french
    assert "(Bonne réponse)" in french
    assert 'dir="ltr"' in french


def test_c16_submit_json_in_learner_language(db, four_questions):
    block = _block(db, four_questions, show_answer="attempted")
    with translation.override("ar"):
        _status, body = submit(block, ALL_RIGHT)
    assert body["review"]["q1"]["mark"] == "إجابة صحيحة"
    assert body["competences"][0]["text"] == "الكفاءة 1.1: 2 / 2"


def test_c16_studio_view_arabic(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("ar"):
        html = block.render("studio_view", {}).content
    assert 'dir="rtl"' in html
    assert "تعديل التقييم" in html
    assert ">حفظ</button>" in html
    assert "Edit the assessment" not in html


def test_c16_saved_in_french_shown_in_arabic(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("fr"):
        status, _body = post_json(block, "studio_save", {"settings": {"max_attempts": 2}})
    assert status == 200
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    assert "المحاولات المتبقية: 2" in html
    assert "Tentatives" not in html


def test_js_catalogue_defines_namespace():
    script = catalogue_js({"Save": "حفظ"})
    assert "window.RaqmyaAssessmentI18n" in script
    assert '"Save": "حفظ"' in script


def test_block_declares_js_namespace(db, four_questions):
    block = _block(db, four_questions)
    assert block.i18n_js_namespace == "RaqmyaAssessmentI18n"
    with translation.override("ar"):
        fragment = block.render("studio_view", {})
    urls = [resource.data for resource in fragment.resources if resource.kind == "url"]
    assert any(url.endswith("public/js/translations/ar/text.js") for url in urls), urls


def test_french_content_in_arabic_interface_keeps_direction(db, four_questions):
    """Author text takes its direction from its own script, so French stems read left to right in Arabic."""
    block = _block(db, four_questions)
    with translation.override("ar"):
        html = block.render("student_view", {}).content
    stems = html.count('class="raqmya-assessment__stem"')
    assert stems == 4
    assert html.count('-stem" dir="auto"') == stems
    assert html.count('" dir="auto">') >= stems * 2


def test_save_errors_in_author_language(db, four_questions):
    block = _block(db, four_questions)
    bad = dict(four_questions[0], competence="9.9", points=0)
    with translation.override("fr"):
        status, body = post_json(block, "studio_save", {"settings": {"pass_mark": 150},
                                                        "questions": [bad, four_questions[0]]})
    assert status == 400
    assert [error["message"] for error in body["errors"]] == [
        "Seuil de réussite\u00a0: 150 n'est pas valide\u00a0; écrivez un pourcentage de 0 à 100.",
        "Erreur dans la question 1 ('q1')\u00a0: la compétence '9.9' n'est pas un code de compétence "
        "DigComp 2.2\u00a0; "
        "utilisez un code de 1.1 à 1.3, 2.1 à 2.6, 3.1 à 3.4, 4.1 à 4.4 ou 5.1 à 5.4, sous forme de chaîne.",
        "Erreur dans la question 1 ('q1')\u00a0: les points 0 ne sont pas un nombre supérieur à 0\u00a0; "
        "indiquez un nombre de points, par exemple 1.",
        "Erreur dans la question 2 ('q1')\u00a0: l'id est déjà utilisé par la question 1\u00a0; "
        "donnez à chaque question son propre id.",
    ]


@pytest.mark.parametrize("language, expected", [
    ("en", ["Invalid question 1 ('q1'): points is empty; fill it in with a number greater than 0, such as 1.",
            "Invalid question 1 ('q1'): level is empty; fill it in with a whole number from 1 to 8."]),
    ("fr", ["Erreur dans la question 1 ('q1')\u00a0: le champ des points est vide\u00a0; "
            "remplissez-le avec un nombre supérieur à 0, par exemple 1.",
            "Erreur dans la question 1 ('q1')\u00a0: le champ du niveau est vide\u00a0; "
            "remplissez-le avec un nombre entier de 1 à 8."]),
])
def test_save_empty_points_and_level(db, four_questions, language, expected):
    """A cleared Points or Level field, sent as "", is reported as empty, not as the value 0."""
    block = _block(db, four_questions)
    cleared = dict(four_questions[0], points="", level="")
    with translation.override(language):
        status, body = post_json(block, "studio_save", {"questions": [cleared]})
    assert status == 400
    assert [error["field"] for error in body["errors"]] == ["points", "level"]
    assert [error["message"] for error in body["errors"]] == expected
    assert block.questions == four_questions


def test_import_confirm_errors_in_arabic(db, four_questions):
    block = _block(db, four_questions)
    data = dict(four_questions[0], id="n1", tracks=[])
    with translation.override("ar"):
        status, body = post_json(block, "import_confirm", {"questions": [data], "sources": [{"row": 4}],
                                                           "existing_ids": ["q1"]})
    assert status == 400
    assert body["error"] == "لم يُضَف أي شيء: صحّح الأخطاء المذكورة ثم أكّد مرة أخرى."
    assert body["errors"][0]["message"] == (
        "السطر 4: المسارات [] ليست قائمة غير فارغة؛ "
        "اذكر مسارًا واحدًا أو أكثر من: perfectionnement, acculturation.")


def test_import_preview_messages_in_author_language(db, four_questions):
    import base64  # pylint: disable=import-outside-toplevel

    from raqmya_xblocks.spreadsheet import COLUMNS  # pylint: disable=import-outside-toplevel

    block = _block(db, four_questions)
    row = {"id": "s1", "competence": "1.1", "tracks": "acculturation", "stem": "Où ?", "level": "deux",
           "choice 1": "Ici", "choice 1 correct": "oui", "choice 2": "Là", "choice 2 correct": "non"}
    sheet = ",".join(COLUMNS) + "\r\n" + ",".join(row.get(name, "") for name in COLUMNS) + "\r\n"
    with translation.override("fr"):
        status, body = post_json(block, "import_preview", {"filename": "banque.csv",
                                                           "content": base64.b64encode(sheet.encode()).decode()})
        _status, wrong_type = post_json(block, "import_preview", {"filename": "banque.ods", "content": ""})
    assert status == 200
    assert body["problems"] == [{"row": 2, "message": "level vaut 'deux'\u00a0; écrivez un nombre, par exemple 1."}]
    assert wrong_type["error"] == ("Le fichier 'banque.ods' n'est ni en .csv ni en .xlsx\u00a0; "
                                   "exportez la feuille dans l'un de ces formats.")
    with translation.override("ar"):
        status, body = post_json(block, "import_preview", {"olx": "<library/>", "competence": "1.1"})
    assert status == 400
    assert body["error"] == "لم يُعثر على أي عنصر <problem>؛ الصق عنصر <problem> واحدًا أو أكثر من تصدير لدرس."


@pytest.mark.parametrize("language, policy, track, kind", [
    ("fr", "Après la dernière tentative ou la note maximale", "Acculturation digitale", "Vrai ou faux"),
    ("ar", "بعد آخر محاولة أو الحصول على العلامة الكاملة", "التثقيف الرقمي", "صحيح أو خطأ"),
])
def test_studio_menus_show_translated_labels(db, four_questions, language, policy, track, kind):
    """Menus show names in the author's language and keep the codes as values."""
    block = _block(db, four_questions)
    with translation.override(language):
        html = block.render("studio_view", {}).content
    assert f'<option value="finished">{policy}</option>' in html
    assert f'<option value="acculturation">{track}</option>' in html
    assert '>finished<' not in html
    assert '>acculturation<' not in html
    data = json.loads(re.search(r'class="raqmya-studio__data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["type_labels"]["true_false"] == kind
    assert data["track_labels"]["acculturation"] == track
    assert data["tracks"] == ["perfectionnement", "acculturation"]


def test_spreadsheet_row_lists_every_fault(db, four_questions):
    """A bad number does not hide the row's other faults; the row is named by its spreadsheet number."""
    import base64  # pylint: disable=import-outside-toplevel

    from raqmya_xblocks.spreadsheet import COLUMNS  # pylint: disable=import-outside-toplevel

    block = _block(db, four_questions)
    row = {"id": "bad-3", "type": "single", "competence": "1.1", "level": "12", "tracks": "tout", "points": "abc",
           "stem": "Où ?", "choice 1": "Ici", "choice 1 correct": "peut-être", "choice 2": "Là",
           "choice 2 correct": "oui"}
    good = dict(row, id="ok-2", level="2", tracks="acculturation", points="1", **{"choice 1 correct": "non"})
    sheet = ",".join(COLUMNS) + "\r\n" + "".join(
        ",".join(data.get(name, "") for name in COLUMNS) + "\r\n" for data in (good, row))
    status, body = post_json(block, "import_preview", {"filename": "banque.csv",
                                                       "content": base64.b64encode(sheet.encode()).decode()})
    assert status == 200
    assert [problem["row"] for problem in body["problems"]] == [3]
    message = body["problems"][0]["message"]
    assert message.startswith("points is 'abc'; write a number such as 1. choice 1 correct is 'peut-être'; ")
    assert "level 12 is not" in message
    assert "tracks ['tout'] are not track codes" in message
    assert "index" not in message
    assert "question" not in message.split(";")[0]


def test_save_errors_name_fields_by_label(db, four_questions):
    block = _block(db, four_questions)
    with translation.override("ar"):
        status, body = post_json(block, "studio_save", {"settings": {"max_attempts": -2, "content_language": "x y"}})
    assert status == 400
    messages = [error["message"] for error in body["errors"]]
    assert messages[0].startswith("الحد الأقصى للمحاولات: القيمة -2 غير صالحة؛ ")
    assert messages[1].startswith("لغة المحتوى: القيمة 'x y' غير صالحة؛ ")
    assert not any("max_attempts" in message or "content_language" in message for message in messages)


def test_import_problem_syntax_error_in_french(db, four_questions):
    """A syntax error is described in the author's language, with no parser message."""
    block = _block(db, four_questions)
    with translation.override("fr"):
        status, body = post_json(block, "import_preview", {"olx": "<problem><label>x</problem>", "competence": "1.1"})
    assert status == 400
    assert body["error"] == (
        "Le texte collé n'est pas du XML bien formé\u00a0: la première erreur est à la ligne 1, colonne 28. "
        "Collez un ou plusieurs éléments <problem> tels qu'un export de cours les contient, "
        "chacun avec sa balise fermante.")


@pytest.mark.parametrize("language, limit, expected", [
    ("en", 1, "You have used your one attempt, so this answer was not graded."),
    ("en", 3, "You have used all 3 of your attempts, so this answer was not graded."),
    ("fr", 1, "Vous avez utilisé votre seule tentative\u00a0: cette réponse n'a pas été notée."),
    ("fr", 2, "Vous avez utilisé vos 2 tentatives\u00a0: cette réponse n'a pas été notée."),
    # Arabic: one form for 1, the dual for 2, and the plural from 3.
    ("ar", 1, "لقد استعملت محاولتك الوحيدة، لذلك لم تُقيَّم هذه الإجابة."),
    ("ar", 2, "لقد استعملت محاولتيك كلتيهما، لذلك لم تُقيَّم هذه الإجابة."),
    ("ar", 3, "لقد استنفدت محاولاتك الـ 3، لذلك لم تُقيَّم هذه الإجابة."),
    ("ar", 11, "لقد استنفدت محاولاتك الـ 11، لذلك لم تُقيَّم هذه الإجابة."),
])
def test_attempts_used_up_by_count(db, four_questions, language, limit, expected):
    runtime = RecordingRuntime(i18n_factory=DevstackI18nService)
    block = load_block(runtime, scenario_xml("Évaluation", "", four_questions, max_attempts=limit))
    for _attempt in range(limit):
        submit(block, {"q1": "b", "q2": "a", "q3": "a", "q4": "b"})
    with translation.override(language):
        status, body = submit(block, ALL_RIGHT)
    assert status == 403
    assert body["error"] == expected


@pytest.mark.parametrize("language, expected", [
    ("en", ["Track Perfectionnement digital: 1 question", "Track Acculturation digitale: 2 questions"]),
    ("fr", ["Parcours Perfectionnement digital\u00a0: 1 question",
            "Parcours Acculturation digitale\u00a0: 2 questions"]),
    ("ar", ["المسار تطوير الكفاءات الرقمية: سؤال واحد", "المسار التثقيف الرقمي: سؤالان"]),
])
def test_track_question_count_forms(db, four_questions, language, expected):
    questions = [four_questions[0] | {"tracks": ["perfectionnement"]},
                 four_questions[1] | {"tracks": ["acculturation"]}, four_questions[2] | {"tracks": ["acculturation"]}]
    block = _block(db, questions)
    with translation.override(language):
        html = block.render("author_view", {}).content
    assert [title for title in expected if title in html] == expected


def test_lowered_limit_in_arabic_names_counts(db, four_questions):
    block = _block(db, four_questions)
    for _attempt in range(2):
        submit(block, {"q1": "b", "q2": "a", "q3": "a", "q4": "b"})
    block.max_attempts = 1
    with translation.override("ar"):
        status, body = submit(block, ALL_RIGHT)
    assert status == 403
    # The count comes after its noun ("the number of attempts you used"), which fits every Arabic plural form.
    assert body["error"] == ("عدد المحاولات التي استعملتها 2، وهذا التقييم لم يعد يسمح إلا بـ 1، "
                             "لذلك لم تُقيَّم هذه الإجابة.")
