from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """50 a page (as the portfolio), up to 200 with ?page_size=."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
