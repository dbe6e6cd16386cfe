"""Where the course lives, and nbgrader's configuration of it.

The course root is the folder holding ``nbgrader_config.py`` (``course/`` in the kit). It is
found, in order, from an explicit path, the ``QSP_COURSE_DIR`` environment variable, the
current directory and its parents (a ``course/nbgrader_config.py`` or an
``nbgrader_config.py``), and last the checkout the ``qsp`` package was installed from.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CONFIG_NAME = "nbgrader_config.py"
ENVIRONMENT_VARIABLE = "QSP_COURSE_DIR"


def ensure_venv_on_path() -> None:
    """Put the running Python's ``bin`` first on PATH: nbgrader runs ``alembic`` as a command."""
    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if not parts or parts[0] != bin_dir:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *[p for p in parts if p and p != bin_dir]])


def find_course_root(start: str | os.PathLike | None = None) -> Path:
    """The course root: the directory that holds ``nbgrader_config.py``.

    Raises
    ------
    FileNotFoundError
        When no course is found, saying where it looked and how to point at one.
    """
    looked = []
    candidates: list[Path] = []
    if start is not None:
        candidates.append(Path(start))
    elif os.environ.get(ENVIRONMENT_VARIABLE):
        candidates.append(Path(os.environ[ENVIRONMENT_VARIABLE]))
    else:
        here = Path.cwd()
        for folder in [here, *here.parents]:
            candidates += [folder, folder / "course"]
        candidates.append(Path(__file__).resolve().parents[3] / "course")
    for candidate in candidates:
        looked.append(str(candidate))
        if (candidate / CONFIG_NAME).is_file():
            return candidate.resolve()
    raise FileNotFoundError(
        f"no {CONFIG_NAME} found (looked in {', '.join(looked[:4])}{' ...' if len(looked) > 4 else ''}). "
        f"Run qsp from the course kit checkout, or pass --course-dir (or set {ENVIRONMENT_VARIABLE}) "
        "to the folder holding nbgrader_config.py."
    )


def load_config(root: Path, **overrides: Any):
    """Load ``root/nbgrader_config.py`` as a traitlets Config, then apply ``overrides``.

    ``overrides`` are ``"Class.trait": value`` pairs, e.g. ``{"Execute.timeout": 30}``.
    """
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    extra = Config()
    for dotted, value in overrides.items():
        section, trait = dotted.rsplit(".", 1)
        extra[section][trait] = value
    config.merge(extra)
    config.CourseDirectory.root = str(root)
    return config


@dataclass(frozen=True)
class Course:
    """A course: its root folder and the nbgrader folders its configuration names.

    Build one with :meth:`Course.find`. Paths are absolute.
    """

    root: Path
    source: Path
    release: Path
    submitted: Path
    autograded: Path
    feedback: Path
    db_url: str

    @classmethod
    def find(cls, course_dir: str | os.PathLike | None = None) -> Course:
        """The course at ``course_dir`` (or found as :func:`find_course_root` says)."""
        root = find_course_root(course_dir)
        coursedir = cls.coursedir_for(root)

        def step(directory: str) -> Path:
            return Path(os.path.normpath(os.path.join(coursedir.root, directory)))

        return cls(
            root=root,
            source=step(coursedir.source_directory),
            release=step(coursedir.release_directory),
            submitted=step(coursedir.submitted_directory),
            autograded=step(coursedir.autograded_directory),
            feedback=step(coursedir.feedback_directory),
            db_url=coursedir.db_url,
        )

    @staticmethod
    def coursedir_for(root: Path, **overrides: Any):
        from nbgrader.coursedir import CourseDirectory

        return CourseDirectory(config=load_config(root, **overrides))

    def config(self, **overrides: Any):
        """nbgrader's configuration of this course (see :func:`load_config`)."""
        return load_config(self.root, **overrides)

    def api(self, **overrides: Any):
        """An ``nbgrader.apps.NbGraderAPI`` for this course, with its configuration."""
        ensure_venv_on_path()
        import logging

        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(**overrides)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        api.log.setLevel(logging.WARNING)
        return api

    def assignments(self) -> list[str]:
        """Names of the assignments in the source directory (folders holding a notebook)."""
        if not self.source.is_dir():
            return []
        return sorted(p.name for p in self.source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))

    def source_notebooks(self, assignment: str) -> list[Path]:
        return sorted((self.source / assignment).glob("*.ipynb"))

    def release_notebook(self, assignment: str, notebook: str) -> Path:
        return self.release / assignment / f"{notebook}.ipynb"

    def submitted_students(self, assignment: str) -> list[str]:
        """Students with a folder ``submitted/<student>/<assignment>``."""
        if not self.submitted.is_dir():
            return []
        return sorted(p.name for p in self.submitted.iterdir() if (p / assignment).is_dir())

    def log_dir(self, assignment: str) -> Path:
        """Where ``qsp course autograde`` writes one log per submission (git-ignored ``*.log``)."""
        return self.root / "logs" / assignment
