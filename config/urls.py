from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("couples.urls")),
    path("", include("prompts.urls")),
    path("", include("assessments.urls")),
    path("", include("rituals.urls")),
    path("", include("notifications.urls")),
    path("", include("privacy.urls")),
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]

# Ours, and allauth's when it limits a request (allauth looks it up here).
handler429 = "accounts.views.too_many_requests"
# A database that went away mid-request: a calm 503 (config.views.server_error).
handler500 = "config.views.server_error"
