from django.urls import path

from constituencies import views

app_name = "constituencies"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
