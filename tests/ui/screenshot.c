/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* screenshot FILE.png: saves the whole X screen, for a person to look at
 * what an end-to-end test saw. */
#include <gtk/gtk.h>

int
main (int argc, char **argv)
{
  g_autoptr (GdkPixbuf) shot = NULL;
  g_autoptr (GError) error = NULL;
  GdkWindow *root;

  if (argc != 2 || !gtk_init_check (&argc, &argv)) {
    g_printerr ("usage: screenshot FILE.png (with a display)\n");
    return 2;
  }
  root = gdk_get_default_root_window ();
  shot = gdk_pixbuf_get_from_window (root, 0, 0,
      gdk_window_get_width (root), gdk_window_get_height (root));
  if (!shot || !gdk_pixbuf_save (shot, argv[1], "png", &error, NULL)) {
    g_printerr ("screenshot: %s: %s\n", argv[1], error ? error->message :
        "the screen could not be read");
    return 1;
  }
  return 0;
}
