from django.urls import URLPattern

app_name = "prisons"

urlpatterns: list[URLPattern] = []
