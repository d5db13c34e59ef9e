from django.urls import path

from constituencies import postcode_api, views, voter_views

app_name = "constituencies"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("postcode/", voter_views.PostcodeView.as_view(), name="postcode"),
    path("search", voter_views.SearchView.as_view(), name="search"),
    path("seats/<slug:slug>/", voter_views.SeatView.as_view(), name="seat"),
    path("api/postcodes/<str:postcode>/", postcode_api.postcode_detail, name="api-postcode"),
]
