/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The model card as `semblance model-info` prints it for a terminal. */
#include "semblance-model-card.h"

#include <string.h>

#include "semblance.h"

#define LABEL_WIDTH 19

static const char *
str_or_empty (const char *s)
{
  return s ? s : "";
}

/* One "Label   value" line; the value's further lines are indented to
 * match, and an empty value is shown as such. */
static void
add_field (GString *out, const char *label, const char *value)
{
  const char *line = str_or_empty (value);

  g_string_append_printf (out, "%-*s", LABEL_WIDTH, label);
  if (line[0] == '\0') {
    g_string_append (out, "(none)\n");
    return;
  }
  for (;;) {
    const char *end = strchr (line, '\n');

    if (!end) {
      g_string_append_printf (out, "%s\n", line);
      return;
    }
    g_string_append_len (out, line, end - line);
    g_string_append_printf (out, "\n%*s", LABEL_WIDTH, "");
    line = end + 1;
  }
}

G_GNUC_PRINTF (3, 4)
static void
add_fieldf (GString *out, const char *label, const char *format, ...)
{
  g_autofree char *value = NULL;
  va_list ap;

  va_start (ap, format);
  value = g_strdup_vprintf (format, ap);
  va_end (ap);
  add_field (out, label, value);
}

void
semblance_cmd_model_card (SemblanceModel *model, GString *out)
{
  const SemblanceModelCard *card = &model->card;
  const char *id = semblance_model_get_id (model);
  g_autoptr (GString) inputs = g_string_new (NULL);
  g_autoptr (GString) metrics = g_string_new (NULL);
  glong width = 0;
  guint g, i;

  for (g = 0; g < MIN (model->n_groups, SEMBLANCE_N_GROUPS); g++)
    g_string_append_printf (inputs, "%s%s %u", g ? ", " : "",
        semblance_layout_group_name (g), model->input_dims[g]);
  for (i = 0; i < card->metric_names->len; i++)
    width = MAX (width, g_utf8_strlen (str_or_empty
            (card->metric_names->pdata[i]), -1));
  for (i = 0; i < card->metric_names->len; i++) {
    const char *name = str_or_empty (card->metric_names->pdata[i]);

    /* Padded by characters, not bytes: names need not be ASCII. */
    g_string_append_printf (metrics, "%s%s%*s  %.4g", i ? "\n" : "", name,
        (int) (width - g_utf8_strlen (name, -1)), "",
        g_array_index (card->metric_values, double, i));
  }

  add_field (out, "Model id", id);
  add_field (out, "Name", card->name);
  add_field (out, "Description", card->description);
  add_field (out, "License", card->license);
  add_field (out, "Authors", card->authors);
  add_field (out, "Created", card->created);
  add_fieldf (out, "Architecture", "%u groups x (in -> %u tanh -> %u), "
      "property vector %u", model->n_groups, model->hidden, model->group_out,
      semblance_model_get_property_dim (model));
  add_field (out, "Inputs", inputs->str);
  add_fieldf (out, "Weights", "%zu", model->n_params);
  add_fieldf (out, "Feature layout", "version %u", model->layout_version);
  add_fieldf (out, "Distance scale", "%g", model->scale);
  if (model->semantic_dim)
    add_fieldf (out, "Semantic map", "linear, %u -> %u",
        semblance_model_get_property_dim (model), model->semantic_dim);
  else
    add_field (out, "Semantic map", NULL);
  if (model->calibrations->len > 0)
    add_fieldf (out, "Calibrated words", "%u", model->calibrations->len);
  add_field (out, "Training data", card->training_data);
  add_fieldf (out, "Training tracks", "%u", card->training_tracks);
  add_field (out, "Material licenses", card->training_licenses);
  add_field (out, "Training list", card->training_list_sha256);
  add_field (out, "Text encoder", card->text_encoder);
  add_field (out, "Held-out metrics", metrics->str);
}
