from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts.views import text_size
from dashboard.views import home
from unionhome.views import emblem, healthz

admin.site.site_header = admin.site.site_title = _("Workers' small homes · admin site")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("text-size/", text_size, name="text_size"),
    path("healthz", healthz, name="healthz"),
    path("emblem", emblem, name="emblem"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("groups.urls")),
    path("", include("activities.urls")),
    path("", include("plans.urls")),
    path("", include("learning.urls")),
    path("", include("jobs.urls")),
    path("", include("welfare.urls")),
    path("", include("scoring.urls")),
    path("", include("homes.urls")),
    path("", include("membership.urls")),
    path("", include("dues.urls")),
    path("", include("funds.urls")),
    path("", include("campaigns.urls")),
    path("", include("caretasks.urls")),
    path("", include("rectifications.urls")),
    path("", include("improvements.urls")),
    path("", include("congresses.urls")),
    path("", include("disclosures.urls")),
    path("", include("democracy.urls")),
    path("", include("binders.urls")),
    path("", include("dashboard.urls")),
    path("", include("portal.urls")),
]
