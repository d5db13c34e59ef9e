"""The rate limits on joining and on confirmation emails, in django-ratelimit's notation ("count/period")."""

JOIN_PER_IP = "20/h"  # join form posts from one address, good or bad
EMAILS_PER_IP = "10/h"  # confirmation emails sent for requests from one address
EMAILS_PER_ADDRESS = "3/h"  # confirmation emails to one email address (keyed by its hash)
# Links in emails last this long; the confirmation link is single use too.
CONFIRM_LINK_DAYS = 7

TOO_MANY_JOINS = "Too many signups from your connection in the last hour. Please wait an hour and try again."
TOO_MANY_EMAILS = "We have sent several confirmation emails for this recently. Please check your inbox (and spam folder), or wait an hour and try again."
