from django.urls import path

from . import views

app_name = "prompts"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/<int:pk>/status/", views.today_status, name="today_status"),
    path("history/", views.history, name="history"),
    path("days/<int:pk>/", views.day, name="day"),
    path("days/<int:pk>/react/", views.react, name="react"),
    path("days/<int:pk>/reply/", views.reply, name="reply"),
    path("days/<int:pk>/note/", views.note, name="note"),
    path("days/<int:pk>/nudge/", views.nudge, name="nudge"),
    path("questions/", views.questions, name="questions"),
    path("questions/send/", views.send_question, name="send_question"),
    path("questions/<int:pk>/withdraw/", views.withdraw_question, name="withdraw_question"),
]
