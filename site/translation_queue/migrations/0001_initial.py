"""The queue's models leave the `ngo_site` app for this one. The tables stay as they are (the
rows with them): this migration only takes the models over in Django's state, with the tables'
old names; ngo_site 0013 lets go of them and translation_queue 0002 renames the tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ngo_site', '0012_private_renditions'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='QueueEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField()),
                ('source_pk', models.PositiveBigIntegerField()),
                ('is_page', models.BooleanField(default=True)),
                ('title', models.CharField(max_length=255)),
                ('folded_title', models.CharField(max_length=255)),
                ('source_published_at', models.DateTimeField(blank=True, null=True)),
                ('section_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('source_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('translation_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('target_pk', models.PositiveBigIntegerField(blank=True, null=True)),
                ('status', models.CharField(max_length=20)),
                ('status_order', models.PositiveSmallIntegerField()),
                ('progress', models.PositiveSmallIntegerField(default=0)),
                ('words', models.PositiveIntegerField(blank=True, null=True)),
                ('change_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('due_date', models.DateField(blank=True, null=True)),
                ('in_workflow', models.BooleanField(default=False)),
                ('task_state_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('task_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype')),
                ('target_locale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale')),
            ],
            options={
                'db_table': 'ngo_site_queueentry',
                'verbose_name': 'translation queue entry',
                'verbose_name_plural': 'translation queue entries',
                'indexes': [models.Index(fields=['folded_title'], name='queue_entry_title'), models.Index(fields=['status_order', 'folded_title'], name='queue_entry_status'), models.Index(fields=['assignee', 'due_date'], name='queue_entry_assignee')],
                'constraints': [models.UniqueConstraint(fields=('translation_key', 'target_locale'), name='unique_queue_entry')],
            },
        ),
        migrations.CreateModel(
            name='SourceChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField()),
                ('source_updated_at', models.DateTimeField()),
                ('detected_at', models.DateTimeField()),
                ('changed_segments', models.JSONField(default=list)),
                ('words_changed', models.PositiveIntegerField(default=0)),
                ('source_locale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale')),
            ],
            options={
                'db_table': 'ngo_site_sourcechange',
                'verbose_name': 'source change',
                'verbose_name_plural': 'source changes',
                'constraints': [models.UniqueConstraint(fields=('translation_key', 'source_locale'), name='unique_source_change')],
            },
        ),
        migrations.CreateModel(
            name='SourceWordCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField()),
                ('words', models.PositiveIntegerField(verbose_name='words')),
                ('counted_at', models.DateTimeField(verbose_name='counted at')),
                ('source_locale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale')),
            ],
            options={
                'db_table': 'ngo_site_sourcewordcount',
                'verbose_name': 'source word count',
                'verbose_name_plural': 'source word counts',
                'constraints': [models.UniqueConstraint(fields=('translation_key', 'source_locale'), name='unique_source_word_count')],
            },
        ),
        migrations.CreateModel(
            name='TranslationAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('translation_key', models.UUIDField(db_index=True)),
                ('due_date', models.DateField(blank=True, null=True, verbose_name='due date')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='translation_assignments', to=settings.AUTH_USER_MODEL, verbose_name='assignee')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='translation_reviews', to=settings.AUTH_USER_MODEL, verbose_name='reviewer')),
                ('target_locale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale')),
            ],
            options={
                'db_table': 'ngo_site_translationassignment',
                'verbose_name': 'translation assignment',
                'verbose_name_plural': 'translation assignments',
                'constraints': [models.UniqueConstraint(fields=('translation_key', 'target_locale'), name='unique_translation_assignment')],
            },
        ),
    ],
            database_operations=[],
        ),
    ]
