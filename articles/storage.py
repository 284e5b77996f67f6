"""The private store for uploaded originals (STORAGES["originals"]); readers never get these files."""
from functools import lru_cache

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class OriginalsStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["originals"]


originals_storage = OriginalsStorage()


@receiver(setting_changed)
def reset_originals_storage(setting, **kwargs):
    # Tests point STORAGES at a temporary folder; pick that up like default_storage does.
    if setting == "STORAGES":
        originals_storage._wrapped = empty


@lru_cache(maxsize=50_000)
def _fixed_url(base_url, name, storage):
    return storage.url(name)


def storage_url(storage, name):
    """storage.url(name), worked out once per file where the address depends on the name alone.

    A home page asks for about 250 rendition addresses; FileSystemStorage builds each with urljoin
    every time. Its address is a function of MEDIA_URL (base_url, part of the key) and the name;
    other storages (signed S3 URLs, say) are asked every time.
    """
    storage = unwrap(storage)
    if name and isinstance(storage, FileSystemStorage):
        return _fixed_url(storage.base_url, name, storage)
    return storage.url(name)


def unwrap(storage):
    """The storage behind a lazy one (default_storage is a LazyObject).

    Through the proxy, the isinstance() test, base_url and the cache key's hash and comparison each
    took a detour through LazyObject.__getattribute__: most of the cost of a rendition's address.
    """
    if isinstance(storage, LazyObject):  # a plain type check: the proxy is not consulted
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage
