"""An index for the applicant list's page (newest first): at city scale the page no longer sorts
every application of the program to show 25."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_impact")]

    operations = [
        migrations.AddIndex(
            model_name="enrollment",
            index=models.Index(fields=["program", "-created_at", "-id"], name="enrollment_list_idx"),
        ),
    ]
