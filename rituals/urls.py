from django.urls import path

from . import views

app_name = "rituals"
urlpatterns = [
    path("rituals/", views.index, name="index"),
    path("rituals/library/", views.library, name="library"),
    path("rituals/new/", views.new, name="new"),
    path("rituals/four-weeks/", views.summary, name="summary"),
    path("rituals/calendar/", views.calendar, name="calendar"),
    path("rituals/calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    path("rituals/feed/<str:token>.ics", views.feed, name="feed"),
    path("rituals/guides/", views.guides, name="guides"),
    path("rituals/guides/<slug:slug>/", views.guide, name="guide"),
    path("rituals/<int:pk>/", views.detail, name="detail"),
    path("rituals/<int:pk>/edit/", views.edit, name="edit"),
    path("rituals/<int:pk>/accept/", views.accept, name="accept"),
    path("rituals/<int:pk>/decline/", views.decline, name="decline"),
    path("rituals/<int:pk>/pause/", views.pause, name="pause"),
    path("rituals/<int:pk>/resume/", views.resume, name="resume"),
    path("rituals/<int:pk>/delete/", views.delete, name="delete"),
    path("rituals/<int:pk>/reminder/", views.reminder, name="reminder"),
    path("rituals/<int:pk>/on/<str:key>/", views.occurrence, name="occurrence"),
    path("rituals/<int:pk>/on/<str:key>/mark/", views.mark, name="mark"),
    path("rituals/<int:pk>/on/<str:key>/rate/", views.rate, name="rate"),
]
