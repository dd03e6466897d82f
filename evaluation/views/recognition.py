"""Recognition: milestones, certificates of service, volunteer-hours statements and thank-you notes
(evaluation/recognition.py)."""

urlpatterns = []
