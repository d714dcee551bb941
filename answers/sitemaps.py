from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from answers import selectors


class AnswerSitemap(Sitemap):
    """Approved answers only: pending and retracted content stays out."""

    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return selectors.sitemap_answers()

    def lastmod(self, answer):
        return answer.last_updated

    def location(self, answer):
        return answer.get_absolute_url()


class PageSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return ["answers:list", "answers:editorial_policy", "answers:board"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"answers": AnswerSitemap, "pages": PageSitemap}
