from django.urls import path

from supporters.api import views as api
from supporters.web import organise, views

app_name = "supporters"

urlpatterns = [
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/check-your-email/", views.check_email, name="check_email"),
    path("join/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("your-data/<str:token>/", views.YourDataView.as_view(), name="your_data"),
    path("your-data/<str:token>/delete/", views.delete_data, name="delete_data"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("api/supporters/counts/", api.counts, name="api_counts"),
    path("organise/", organise.seat_list, name="organise"),
    path("organise/<slug:slug>/", organise.SeatView.as_view(), name="organise_seat"),
    path("organise/<slug:slug>/supporters.csv", organise.export_csv, name="organise_csv"),
]
