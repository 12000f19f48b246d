from django.urls import path

from . import evening_views, views

app_name = "prompts"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/swap/", views.swap, name="swap"),
    path("today/<int:pk>/status/", views.today_status, name="today_status"),
    path("history/", views.history, name="history"),
    path("days/<int:pk>/", views.day, name="day"),
    path("days/<int:pk>/react/", views.react, name="react"),
    path("days/<int:pk>/reply/", views.reply, name="reply"),
    path("days/<int:pk>/note/", views.note, name="note"),
    path("days/<int:pk>/nudge/", views.nudge, name="nudge"),
    path("history/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("questions/", views.questions, name="questions"),
    path("questions/send/", views.send_question, name="send_question"),
    path("questions/library/send/", views.send_library_question, name="send_library_question"),
    path("questions/<int:pk>/withdraw/", views.withdraw_question, name="withdraw_question"),
    path("evenings/", evening_views.evenings, name="evenings"),
    path("evenings/<slug:slug>/", evening_views.evening, name="evening"),
    path("evenings/<slug:slug>/start/", evening_views.evening_start, name="evening_start"),
    path("evenings/<slug:slug>/<int:number>/status/", evening_views.evening_status, name="evening_status"),
]
