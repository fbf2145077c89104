"""Interview guides: the built-in templates in `resources/guides`, the YAML format, and question checks.

A guide is the structure an interviewer follows and the frame quotes are tagged under. Guides are plain
YAML so that users can write and share their own; the loader therefore explains every mistake with a line
number, and `quality` points out questions that would lead the customer or invite a yes/no answer.
"""

from app.guides.dumping import dump_guide
from app.guides.loader import GuideError, builtin_guides, load_guide, load_guide_file
from app.guides.model import Guide, Question, Section, Tag
from app.guides.quality import Hint, HintKind, hints_for, question_hints

__all__ = [
    "Guide",
    "GuideError",
    "Hint",
    "HintKind",
    "Question",
    "Section",
    "Tag",
    "builtin_guides",
    "dump_guide",
    "hints_for",
    "load_guide",
    "load_guide_file",
    "question_hints",
]
