"""Paging without counting: a list page fetches one story more than it shows to know whether an
older page follows. A COUNT(*) of a section or tag grows with the archive and readers never need
the total.

The page's ids come first, from indexes only (on PostgreSQL a tag's or byline's own links in
publication order: articles/listings.py), then only those rows are read in full. One query sorting every
story of a big tag cost time in proportion to the tag's size; as a subquery of the second, the
planner went back to that plan. So tag and author pages (IdsFirstPaginator) make two queries,
each bounded by the page size; section and source pages walk their own index in one.
"""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


class PeekPage(Page):
    def __init__(self, object_list, number, paginator, *, more):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class PeekPaginator(Paginator):
    """`make_rows`: turns the page's fetched rows into what the page shows (fragments.as_cards)."""

    def __init__(self, object_list, per_page, *, make_rows=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.make_rows = make_rows or list

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
        rows = self.rows(start, start + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        return PeekPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def rows(self, start, stop):
        return self.make_rows(self.object_list[start:stop])


class IdsFirstPaginator(PeekPaginator):
    """For lists joined through another table (tags, bylines): the ids first, then those rows.

    `rows`: the stories the rows are read from, by id, when the join is not needed again (the list
    without its tag or byline filter, still published() only); else the list itself.
    """

    def __init__(self, object_list, per_page, *, rows=None, ids=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows_from = object_list if rows is None else rows
        # `ids(start, stop)`: the page's ids from somewhere cheaper than the join (articles/listings.py).
        self.ids = ids or (lambda start, stop: list(self.object_list.values_list("pk", flat=True)[start:stop]))

    def rows(self, start, stop):
        page_ids = self.ids(start, stop)
        return self.make_rows(self.rows_from.filter(pk__in=page_ids)) if page_ids else []
