"""The private store for uploaded originals (STORAGES["originals"]); readers never get these files."""
from django.core.files.storage import storages
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
