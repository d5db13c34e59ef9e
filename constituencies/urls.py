from django.urls import path

from constituencies.api import advice as advice_api
from constituencies.api import postcodes as postcode_api
from constituencies.api import pr as pr_api
from constituencies.api import views as api
from constituencies.api import what_if as what_if_api
from constituencies.web import maps as map_views
from constituencies.web import pr as pr_views
from constituencies.web import site_files, views
from constituencies.web import staff as staff_views
from constituencies.web import track_record as track_record_views
from constituencies.web import voter as voter_views
from constituencies.web import what_if as what_if_views

app_name = "constituencies"

urlpatterns = [
    # First: the most requested URL, and patterns are tried in order.
    path("api/postcodes/<str:postcode>/", postcode_api.postcode_detail, name="api-postcode"),
    path("", views.HomeView.as_view(), name="home"),
    # Voters: postcode look-up, search by name, the seat page
    path("postcode/", voter_views.PostcodeView.as_view(), name="postcode"),
    path("search", voter_views.SearchView.as_view(), name="search"),
    # Campaign staff: the seat list, its exports and the JSON API
    path("seats/", staff_views.SeatListView.as_view(), name="seat_list"),
    path("seats/export.csv", staff_views.SeatExportView.as_view(format="csv"), name="seat_list_csv"),
    path("seats/export.json", staff_views.SeatExportView.as_view(format="json"), name="seat_list_json"),
    path("seats/<slug:slug>/", voter_views.SeatView.as_view(), name="seat"),
    path("seats/<slug:slug>/card.png", voter_views.seat_card_png, name="seat_card"),
    # The hex map of every seat, with the list's filters, and its downloads
    path("map/", map_views.MapView.as_view(), name="map"),
    path("map/map.svg", map_views.MapSvgView.as_view(), name="map_svg"),
    path("map/map.png", map_views.MapPngView.as_view(), name="map_png"),
    # How the advice works and how it has done
    path("methodology/", track_record_views.MethodologyView.as_view(), name="methodology"),
    path("track-record/", track_record_views.TrackRecordView.as_view(), name="track_record"),
    path("api/", api.ApiDocsView.as_view(), name="api_docs"),
    path("api/seats/", api.SeatsApiView.as_view(), name="api_seats"),
    path("api/seats/<slug:slug>/", api.SeatApiView.as_view(), name="api_seat"),
    path("api/elections/", api.ElectionsApiView.as_view(), name="api_elections"),
    path("api/advice/<slug:slug>/", advice_api.election_advice_api, name="api_advice"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    # What if the progressive parties worked together (issue 14)
    path("what-if/", what_if_views.WhatIfView.as_view(), name="what_if"),
    path("api/what-if/", what_if_api.WhatIfApiView.as_view(), name="api_what_if"),
    # Under proportional representation: the page and its JSON
    path("pr/", pr_views.PrView.as_view(), name="pr"),
    path("api/pr/", pr_api.pr_api, name="api_pr"),
]
