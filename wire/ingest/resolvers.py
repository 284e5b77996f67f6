"""Where a wire item's picture files come from: a folder on disk, or the files uploaded with it."""
import io
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings

from .items import IngestError


def _local_part(href):
    """The path part of a relative href; remote URLs are refused because ingest never goes online."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        raise IngestError(
            f"Picture {href!r} is a remote address; ingest does not download files. "
            "Deliver the picture file next to the item."
        )
    path = unquote(parts.path)
    if not path:
        raise IngestError("A picture reference has an empty address.")
    return path


def _read_bounded(handle, label):
    limit = settings.NEWSROOM_INGEST_MAX_PICTURE_BYTES
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise IngestError(f"Picture {label} is larger than {limit // (1024 * 1024)} MB.")
    return data


class FolderResolver:
    """Pictures named relative to the folder the item file sits in (as agencies ship them)."""

    def __init__(self, folder, confine_to=None):
        self.folder = Path(folder).resolve()
        self.root = Path(confine_to).resolve() if confine_to else self.folder

    def open(self, href):
        """Return (file name, file object) for `href`; IngestError if it cannot be read.

        Only files inside the drop folder (`confine_to`, default: the item's folder) are read: `../`,
        absolute paths and symbolic links that lead out are refused with one message, whether or
        not anything lies there.
        """
        path = (self.folder / _local_part(href)).resolve()
        if not path.is_relative_to(self.root):
            raise IngestError(f"Picture {href!r} is outside the drop folder; deliver pictures inside it.")
        try:
            with path.open("rb") as handle:
                data = _read_bounded(handle, href)
        except OSError as error:
            raise IngestError(f"Picture {href!r} cannot be read: {error.strerror or error}.") from error
        return path.name, io.BytesIO(data)


class UploadResolver:
    """Pictures uploaded together with the items (admin page); matched on the file name."""

    def __init__(self, files):
        self.files = {PurePosixPath(f.name).name: f for f in files}

    def open(self, href):
        name = PurePosixPath(_local_part(href)).name
        upload = self.files.get(name)
        if upload is None:
            raise IngestError(f"Picture {name!r} was not uploaded with the item.")
        upload.seek(0)
        return name, io.BytesIO(_read_bounded(upload, name))


class NoFiles:
    """For items parsed from memory with nowhere to look for pictures."""

    def open(self, href):
        raise IngestError(f"Picture {href!r} cannot be found: no folder or uploaded files to look in.")
