from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("assessments/", views.index, name="index"),
    path("assessments/support/", views.support, name="support"),
    path("assessments/<slug:slug>/", views.take, name="take"),
    path("assessments/<slug:slug>/results/<int:pk>/", views.result, name="result"),
    path("assessments/<slug:slug>/results/<int:pk>/share/", views.share, name="share"),
    path("assessments/<slug:slug>/compare/", views.compare, name="compare"),
]
