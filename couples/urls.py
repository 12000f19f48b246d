from django.urls import path

from . import views

app_name = "couples"
urlpatterns = [
    path("couple/", views.couple, name="couple"),
    path("couple/status/", views.couple_status, name="status"),
    path("couple/invite/", views.create_invite, name="create_invite"),
    path("couple/time-zone/", views.time_zone, name="time_zone"),
    path("couple/unpair/", views.unpair, name="unpair"),
    path("join/<slug:token>/", views.join, name="join"),
]
