"""Every interface string has its Russian translation.

The strings are gathered as the catalogue is made (`makemessages`, with the options README's
"Translations" gives), into a copy of the project whose sources are symbolic links to the real
ones and whose catalogue is a copy of locale/ru/LC_MESSAGES/django.po: a string added to a
template or to Python since the catalogue was last made shows up, and the real catalogue is
left alone. gettext's own tools then list the strings without a translation, or with one
marked fuzzy (a guess `makemessages` made from a similar string, to be checked), and
`msgfmt --check` refuses a translation whose placeholders differ from its original's."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CATALOGUE = Path("locale") / "ru" / "LC_MESSAGES" / "django.po"
# What the catalogue's makemessages leaves out (README, "Translations"); dot-folders (.git,
# .venv's own name aside) are left out by makemessages itself.
IGNORED = ("static/vendor/*", "node_modules/*", ".venv/*", "var/*")
NOT_SOURCES = {"locale", ".venv", "node_modules", "media", "staticfiles", "var"}


def _gettext(*args: str, cwd: Path) -> str:
    tool = shutil.which(args[0])
    assert tool, f"{args[0]} is missing: install GNU gettext (apt-get install gettext)."
    result = subprocess.run([tool, *args[1:]], cwd=cwd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _messages(po_text: str) -> list[str]:
    """The msgids of a catalogue (msgattrib's output, unwrapped, with locations), each with
    where it is used; the header (the empty msgid) left out."""
    found, where = [], ""
    for line in po_text.splitlines():
        if line.startswith("#: "):
            where = line[3:]
        elif line.startswith("msgid ") and line != 'msgid ""':
            found.append(f"{line[6:]}  ({where})")
            where = ""
    return found


def _project_copy(tmp_path: Path) -> Path:
    """A folder whose sources link to the project's, with a copy of its Russian catalogue."""
    base = Path(settings.BASE_DIR)
    project = tmp_path / "project"
    project.mkdir()
    for entry in base.iterdir():
        if entry.name not in NOT_SOURCES and not entry.name.startswith("."):
            (project / entry.name).symlink_to(entry)
    (project / CATALOGUE).parent.mkdir(parents=True)
    shutil.copyfile(base / CATALOGUE, project / CATALOGUE)
    return project


def _make_messages(project: Path) -> Path:
    """`makemessages` over the project copy's sources into its catalogue; the catalogue."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "makemessages"]
    command += ["-l", "ru", "--no-obsolete", "--symlinks", *(f"--ignore={p}" for p in IGNORED)]
    environment = {**os.environ, "SECRET_KEY": os.environ.get("SECRET_KEY") or "x"}
    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return project / CATALOGUE


def test_every_interface_string_has_its_russian_translation(tmp_path):
    catalogue = _make_messages(_project_copy(tmp_path))
    options = ("--no-wrap", "--no-obsolete", str(catalogue))
    untranslated = _messages(_gettext("msgattrib", "--untranslated", *options, cwd=tmp_path))
    fuzzy = _messages(_gettext("msgattrib", "--only-fuzzy", *options, cwd=tmp_path))
    assert not untranslated, "No Russian translation in locale/ru/LC_MESSAGES/django.po:\n" + (
        "\n".join(untranslated)
    )
    assert not fuzzy, "A fuzzy Russian translation, to check and unmark:\n" + "\n".join(fuzzy)
    # Placeholders (%(name)s) alike in original and translation, plural forms complete.
    _gettext("msgfmt", "--check", "--output-file=/dev/null", str(catalogue), cwd=tmp_path)


def test_the_check_sees_a_string_the_catalogue_lacks(tmp_path):
    """The check reads the sources, not only the catalogue: a new template string shows up."""
    project = _project_copy(tmp_path)
    # A folder of one's own beside the linked ones, as a newly written template would be.
    (project / "templates_new").mkdir()
    (project / "templates_new" / "new.html").write_text(
        '{% load i18n %}{% translate "A sentence nobody has translated yet" %}'
    )
    catalogue = _make_messages(project)
    untranslated = _gettext(
        "msgattrib", "--untranslated", "--no-wrap", str(catalogue), cwd=tmp_path
    )
    assert "A sentence nobody has translated yet" in untranslated
    assert "templates_new/new.html" in untranslated
