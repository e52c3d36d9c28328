from django.urls import URLPattern, URLResolver, path

from homeward.casework.views import cases, public, referrals, work
from homeward.casework.views import settings as org_settings

app_name = "casework"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public and families
    path("refer/<slug:slug>/", public.refer, name="refer"),
    path("refer/<slug:slug>/sent/<uuid:token>/", public.refer_done, name="refer_done"),
    path("ask/<slug:slug>/", public.self_refer, name="self_refer"),
    path("my-requests/", public.my_referrals, name="my_referrals"),
    path("feedback/<uuid:token>/", public.feedback, name="feedback"),
    # Staff
    path("", work.today, name="today"),
    path("referrals/", referrals.queue, name="queue"),
    path("referrals/leaflet/", referrals.paper_referral, name="paper_referral"),
    path("referrals/<int:pk>/", referrals.referral, name="referral"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/export/", work.export, name="export"),
    path("cases/views/", cases.saved_views, name="saved_views"),
    path("cases/views/<int:pk>/delete/", cases.saved_view_delete, name="saved_view_delete"),
    path("caseloads/", work.caseloads, name="caseloads"),
    path("applications/", work.applications, name="applications"),
    path("settings/", work.settings_edit, name="settings"),
    path("settings/partners/", org_settings.partners, name="partners"),
    path("settings/partners/new/", org_settings.partner_add, name="partner_add"),
    path("settings/partners/<int:pk>/", org_settings.partner_edit, name="partner_edit"),
    path("settings/rules/new/", org_settings.rule_add, name="rule_add"),
    path("settings/rules/<int:pk>/", org_settings.rule_edit, name="rule_edit"),
    path("settings/rules/<int:pk>/delete/", org_settings.rule_delete, name="rule_delete"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/viewers/", cases.case_viewers, name="case_viewers"),
    path("cases/<int:pk>/stage/", cases.case_stage, name="case_stage"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/reassign/", cases.case_reassign, name="case_reassign"),
    path("cases/<int:pk>/family/", cases.person_add, name="person_add"),
    path("cases/<int:pk>/in-prison/", cases.prisoner_edit, name="prisoner_edit"),
    path("cases/<int:pk>/assessment/", cases.assessment, name="assessment"),
    path("cases/<int:pk>/plan/", cases.action_add, name="action_add"),
    path("actions/<int:pk>/done/", cases.action_done, name="action_done"),
    path("cases/<int:pk>/notes/", cases.note_add, name="note_add"),
    path("notes/<int:pk>/", cases.note_detail, name="note"),
    path("cases/<int:pk>/files/", cases.attachment_add, name="attachment_add"),
    path("files/<int:pk>/", cases.attachment_download, name="attachment"),
    path("cases/<int:pk>/consent/", cases.consent_add, name="consent_add"),
    path(
        "cases/<int:pk>/consent/<int:consent_pk>/withdraw/",
        cases.consent_withdraw,
        name="consent_withdraw",
    ),
    path("cases/<int:pk>/conference/", cases.conference_add, name="conference_add"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("cases/<int:pk>/feedback/", cases.case_feedback, name="case_feedback"),
    path("cases/<int:pk>/applications/", work.application_add, name="application_add"),
    path("applications/<int:pk>/", work.application_answer, name="application"),
    path("cases/<int:pk>/onward/", work.onward_new, name="onward_new"),
    path("onward/<int:pk>/", work.onward_detail, name="onward"),
    path("cases/<int:pk>/restriction/", work.restriction_add, name="restriction_add"),
    path("cases/<int:pk>/concern/", work.concern_add, name="concern_add"),
    path("concerns/<int:pk>/", work.concern_detail, name="concern"),
]
