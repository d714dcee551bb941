from django.contrib.sitemaps.views import sitemap
from django.urls import path

from answers import views
from answers.sitemaps import SITEMAPS

app_name = "answers"

urlpatterns = [
    path("", views.answer_list, name="home"),
    path("answers/", views.answer_list, name="list"),
    path("answers/<slug:slug>/", views.answer_detail, name="detail"),
    path("answers/<slug:slug>/follow-up/", views.follow_up, name="follow_up"),
    path("personalize/", views.personalize, name="personalize"),
    path("editorial-policy/", views.editorial_policy, name="editorial_policy"),
    path("medical-advisory-board/", views.board, name="board"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
