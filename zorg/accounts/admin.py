"""Django's admin is for the platform operator (superusers) only: it holds the
organisation, never care content. School staff work in Zorg's own pages,
which go through the access policy and the audit trail."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import aanmelden, tweestaps
from .models import (
    CLB,
    Campus,
    CLBMedewerker,
    Groepsdirectie,
    Lidmaatschap,
    Scholengemeenschap,
    School,
    Schooljaar,
    User,
)


class LidmaatschapInline(admin.TabularInline):
    model = Lidmaatschap
    extra = 0


class GroepsdirectieInline(admin.TabularInline):
    model = Groepsdirectie
    extra = 0


class CLBMedewerkerInline(admin.TabularInline):
    model = CLBMedewerker
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [LidmaatschapInline, GroepsdirectieInline, CLBMedewerkerInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ["aanmeldblokkering_opheffen", "tweestapsverificatie_resetten"]

    @admin.action(description=_("Aanmeldblokkering opheffen"))
    def aanmeldblokkering_opheffen(self, request, queryset):
        opgeheven = [
            user.email
            for user in queryset
            if aanmelden.blokkering_opheffen(
                user=user, door=request.user, reden="door de beheerder (platformbeheer)"
            )
        ]
        self.message_user(
            request,
            _("Blokkering opgeheven voor: %(wie)s") % {"wie": ", ".join(opgeheven)}
            if opgeheven
            else _("Geen van deze accounts was geblokkeerd."),
        )

    @admin.action(description=_("Tweestapsverificatie resetten (verloren telefoon)"))
    def tweestapsverificatie_resetten(self, request, queryset):
        # Issue 16's in-app administration calls the same service.
        gereset = [
            user.email for user in queryset if tweestaps.mfa_resetten(door=request.user, user=user)
        ]
        self.message_user(
            request,
            _(
                "Tweestapsverificatie gereset voor: %(wie)s. Bij hun volgende aanmelding "
                "stellen ze ze opnieuw in."
            )
            % {"wie": ", ".join(gereset)}
            if gereset
            else _("Geen van deze accounts had tweestapsverificatie ingesteld."),
        )


class CampusInline(admin.TabularInline):
    model = Campus
    extra = 0


class SchooljaarInline(admin.TabularInline):
    model = Schooljaar
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["naam", "instellingsnummer", "schooltype", "scholengemeenschap"]
    inlines = [CampusInline, SchooljaarInline]


@admin.register(CLB)
class CLBAdmin(admin.ModelAdmin):
    filter_horizontal = ["scholen"]


admin.site.register(Scholengemeenschap)
