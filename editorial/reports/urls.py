from django.urls import path

from editorial.reports import views

app_name = "editorial_reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("<slug:page>/", views.report, name="page"),
]
