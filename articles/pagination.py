"""Paging without counting: a list page fetches one story more than it shows to know whether an
older page follows. A COUNT(*) of a section or tag grows with the archive and readers never need
the total."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class PeekPage(Page):
    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class PeekPaginator(Paginator):
    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return PeekPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
