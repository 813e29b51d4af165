"""The workbench scenarios of the assessment block: one in French, one in Arabic."""

from __future__ import annotations

from lxml import etree

from .olx import question_to_element

FRENCH_TITLE = "Évaluation - Perfectionnement digital"
ARABIC_TITLE = "تقييم - التثقيف الرقمي (العربية) (ar)"


def _choice(choice_id: str, text: str, correct: bool = False, feedback: str = "") -> dict:
    choice = {"id": choice_id, "text": text, "correct": correct}
    if feedback:
        choice["feedback"] = feedback
    return choice


FRENCH_QUESTIONS = [
    {
        "id": "fr-phishing",
        "type": "single",
        "stem": "<p>Vous recevez un e-mail de « votre banque » qui vous demande de confirmer votre mot de passe "
        "en cliquant sur un lien. Que faites-vous ?</p>",
        "choices": [
            _choice("a", "Je clique sur le lien et je confirme mon mot de passe."),
            _choice(
                "b",
                "Je ne clique pas, je signale le message comme hameçonnage et je le supprime.",
                True,
                "Une banque ne demande jamais votre mot de passe par e-mail.",
            ),
            _choice("c", "Je réponds à l'e-mail pour demander s'il est authentique."),
        ],
        "competence": "4.2",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "fr-password",
        "type": "single",
        "stem": "<p>Lequel de ces mots de passe protège le mieux votre messagerie professionnelle ?</p>",
        "choices": [
            _choice("a", "Votre date de naissance."),
            _choice("b", "Le même mot de passe robuste pour tous vos comptes."),
            _choice(
                "c",
                "Une phrase de passe longue et unique, par exemple <code>Thé-vert!Atlas-42-lune</code>.",
                True,
                "Longue et utilisée pour un seul compte : une fuite ailleurs ne la révèle pas.",
            ),
        ],
        "competence": "4.1",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "fr-search",
        "type": "single",
        "stem": "<p>Pour trouver les pages qui contiennent exactement l'expression "
        "<i>transformation numérique</i>, que tapez-vous dans un moteur de recherche ?</p>",
        "choices": [
            _choice(
                "a", '<code>"transformation numérique"</code>', True, "Les guillemets imposent l'expression exacte."
            ),
            _choice("b", "<code>transformation OR numérique</code>"),
            _choice("c", "<code>transformation -numérique</code>"),
        ],
        "competence": "1.1",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "fr-sharing",
        "type": "single",
        "stem": "<p>Vous devez transmettre un rapport de 80 Mo à un collègue d'une autre administration. "
        "Quelle est la meilleure solution ?</p>",
        "choices": [
            _choice("a", "L'envoyer en pièce jointe à toute la liste de diffusion pour être sûr qu'il arrive."),
            _choice(
                "b",
                "Le déposer sur l'espace de stockage partagé de votre organisation et envoyer un lien "
                "réservé à ce collègue.",
                True,
            ),
            _choice("c", "Le copier sur une clé USB trouvée dans le couloir."),
        ],
        "competence": "2.2",
        "tracks": ["perfectionnement"],
        "points": 1,
    },
    {
        "id": "fr-files",
        "type": "single",
        "stem": "<p>Où ranger les photos de vos documents administratifs pour les retrouver facilement ?</p>",
        "choices": [
            _choice("a", "Sur le bureau, avec les noms donnés par le téléphone."),
            _choice(
                "b",
                "Dans un dossier au nom clair, par exemple <i>Documents/Administratif/2026</i>, "
                "avec une copie de sauvegarde.",
                True,
            ),
            _choice("c", "Dans la corbeille, puisqu'elles y restent."),
        ],
        "competence": "1.3",
        "tracks": ["acculturation"],
        "points": 1,
    },
]

ARABIC_QUESTIONS = [
    {
        "id": "ar-phishing",
        "type": "single",
        "stem": "<p>وصلتك رسالة بريد إلكتروني تدّعي أنها من البنك، "
        "وتطلب منك تأكيد كلمة المرور عبر رابط. ماذا تفعل؟</p>",
        "choices": [
            _choice("a", "أضغط على الرابط وأُدخل كلمة المرور."),
            _choice(
                "b",
                "لا أضغط على الرابط، وأبلّغ عن الرسالة كمحاولة تصيّد احتيالي ثم أحذفها.",
                True,
                "البنك لا يطلب أبدًا كلمة المرور عبر البريد الإلكتروني.",
            ),
            _choice("c", "أردّ على الرسالة لأسأل هل هي حقيقية."),
        ],
        "competence": "4.2",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "ar-password",
        "type": "single",
        "stem": "<p>أيّ كلمات المرور التالية هي الأكثر أمانًا لحسابك؟</p>",
        "choices": [
            _choice("a", "تاريخ ميلادك."),
            _choice("b", "كلمة مرور قوية واحدة لجميع حساباتك."),
            _choice(
                "c",
                'عبارة مرور طويلة وفريدة، مثل <span dir="ltr" lang="fr">Thé-vert!Atlas-42-lune</span>',
                True,
                "كلمة مرور طويلة وخاصة بحساب واحد لا تنكشف إذا تسرّبت كلمة مرور حساب آخر.",
            ),
        ],
        "competence": "4.1",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "ar-search",
        "type": "single",
        "stem": "<p>للعثور على الصفحات التي تحتوي بالضبط على عبارة «التحول الرقمي»، ماذا تكتب في محرك البحث؟</p>",
        "choices": [
            _choice("a", "<code>التحول OR الرقمي</code>"),
            _choice(
                "b", '<code>"التحول الرقمي"</code> بين علامتي تنصيص', True, "علامتا التنصيص تفرضان العبارة كما هي."
            ),
            _choice("c", "<code>التحول -الرقمي</code>"),
        ],
        "competence": "1.1",
        "tracks": ["perfectionnement", "acculturation"],
        "points": 1,
    },
    {
        "id": "ar-backup",
        "type": "single",
        "stem": "<p>كيف تحمي صورك ووثائقك المهمة من الضياع إذا تعطّل هاتفك؟</p>",
        "choices": [
            _choice("a", "أتركها في الهاتف فقط."),
            _choice("b", "أرسلها إلى مجموعة دردشة عامة."),
            _choice("c", "أحتفظ بنسخة احتياطية في مكان آخر، مثل حساب تخزين سحابي أو قرص خارجي.", True),
        ],
        "competence": "1.3",
        "tracks": ["acculturation"],
        "points": 1,
    },
    {
        "id": "ar-sharing",
        "type": "single",
        "stem": "<p>عليك إرسال تقرير حجمه 80 ميغابايت إلى زميل في إدارة أخرى. ما هو الحل الأفضل؟</p>",
        "choices": [
            _choice("a", "أرسله مرفقًا إلى كل قائمة المراسلة للتأكد من وصوله."),
            _choice("b", "أضعه في مساحة التخزين المشتركة لمؤسستي وأرسل رابطًا خاصًا بهذا الزميل.", True),
            _choice("c", "أنسخه على مفتاح USB وجدته في الممر."),
        ],
        "competence": "2.2",
        "tracks": ["perfectionnement"],
        "points": 1,
    },
]


def scenario_xml(
    display_name: str, preview_track: str, questions: list[dict], max_attempts: int = 2, **settings: object
) -> str:
    """Return the OLX of one assessment block, with each question as a ``<question>`` child element."""
    node = etree.Element("raqmya_assessment", display_name=display_name, preview_track=preview_track,
                         max_attempts=str(max_attempts))
    for name, value in settings.items():
        node.set(name, str(value))
    for data in questions:
        node.append(question_to_element(data))
    etree.indent(node)
    return etree.tostring(node, encoding="unicode")


def workbench_scenarios() -> list[tuple[str, str]]:
    """Return the (title, OLX) pairs of the French and the Arabic assessment."""
    return [
        (FRENCH_TITLE, scenario_xml(FRENCH_TITLE, "perfectionnement", FRENCH_QUESTIONS, content_language="fr")),
        (ARABIC_TITLE, scenario_xml("تقييم - التثقيف الرقمي", "acculturation", ARABIC_QUESTIONS,
                                    content_language="ar")),
    ]
