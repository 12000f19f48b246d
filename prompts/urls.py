from django.urls import path

from . import views

app_name = "prompts"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/swap/", views.swap, name="swap"),
    path("today/<int:pk>/status/", views.today_status, name="today_status"),
    path("history/", views.history, name="history"),
    path("history/<int:pk>/favourite/", views.favourite, name="favourite"),
    path("questions/", views.questions, name="questions"),
    path("questions/send/", views.send_question, name="send_question"),
    path("questions/<int:pk>/withdraw/", views.withdraw_question, name="withdraw_question"),
]
