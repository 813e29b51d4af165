"""Django templates of the blocks, compiled once per process and rendered in the language active at render time.

xblock's ``ResourceLoader.render_django_template`` builds a new engine and compiles the template
on every call. Here each template is read and compiled on its first use, with the same engine
settings (the installed tag libraries and xblock's ``i18n`` tags), and each call only renders it.
A compiled template contains no translated text: ``{% trans %}`` and the filters translate and format
when the template is rendered, in the active language.
"""

from __future__ import annotations

import functools
import importlib.resources

from django.template import Context, Engine, Template
from django.template.backends.django import get_installed_libraries

# The tag libraries of xblock's loader: xblock's ``i18n`` tags, which use the block's ``i18n`` service.
_XBLOCK_LIBRARIES = {"i18n": "xblock.utils.templatetags.i18n"}
TEMPLATE_CACHE_SIZE = 32
# NOTE: a template file edited on disk is read again only by a new process.


@functools.cache
def _engine() -> Engine:
    return Engine(libraries={**get_installed_libraries(), **_XBLOCK_LIBRARIES})


@functools.lru_cache(maxsize=TEMPLATE_CACHE_SIZE)
def compiled_template(package: str, path: str) -> Template:
    """Return the template at ``path`` in ``package``, compiled on the first call."""
    source = importlib.resources.files(package).joinpath(path.lstrip("/")).read_text(encoding="utf-8")
    return Template(source, engine=_engine())


def render_template(package: str, path: str, context: dict, i18n_service: object = None) -> str:
    """Render the template at ``path`` in ``package`` with ``context``, as xblock's loader does."""
    return compiled_template(package, path).render(Context({**context, "_i18n_service": i18n_service}))


def html_id(prefix: str, usage_key: str) -> str:
    """Return an HTML id for the block of ``usage_key``, which starts with ``prefix``.

    The key follows, each character other than an ASCII letter, digit or "_" written as "-", its
    code point in hex, and "-". Two usage keys never give the same id. Replacing each such
    character by "-" alone gave the same id to the blocks "quiz.1" and "quiz-1" of one unit, and a
    label then named the other block's input.
    """
    return prefix + "".join(
        character if character.isascii() and (character.isalnum() or character == "_")
        else f"-{ord(character):x}-"
        for character in usage_key
    )
