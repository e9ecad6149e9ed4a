// SPDX-License-Identifier: GPL-2.0-or-later
/* optstr.c - mount(8)-style option strings into key/value items; see optstr.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "optstr.h"

/* Copy @s[0..len) without its double quotes into a new string. */
static char *unquote(const char *s, size_t len)
{
	char *out = malloc(len + 1), *w = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '"')
			*w++ = s[i];
	*w = '\0';
	return out;
}

/*
 * The item starting at @s: its length up to the separating comma, and
 * where its first unquoted '=' is (@eq = @len when there is none).
 * Return: 0, or -1 when a quote is left open (*@open: where it opened).
 */
static int scan_item(const char *s, size_t *len, size_t *eq, size_t *open)
{
	bool quoted = false;
	size_t i;

	*eq = (size_t)-1;
	for (i = 0; s[i] && (quoted || s[i] != ','); i++) {
		if (s[i] == '"') {
			if (!quoted)
				*open = i;
			quoted = !quoted;
		} else if (s[i] == '=' && !quoted && *eq == (size_t)-1) {
			*eq = i;
		}
	}
	if (quoted)
		return -1;
	*len = i;
	if (*eq == (size_t)-1)
		*eq = i;
	return 0;
}

static void free_items(struct optstr_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
}

/* Count the items of @s (an upper bound: commas in quotes count too). */
static size_t max_items(const char *s)
{
	size_t n = 1;

	for (; *s; s++)
		n += *s == ',';
	return n;
}

int optstr_parse(struct optstr *l, const char *s, size_t *errpos)
{
	size_t cap = l->n + max_items(s), n = l->n;
	struct optstr_item *v = reallocarray(l->items, cap, sizeof(*v));

	if (!v)
		return -1;
	l->items = v;	/* grown, still holding only the old items */
	for (const char *p = s; *p;) {
		size_t len, eq, open = 0;

		if (scan_item(p, &len, &eq, &open) < 0) {
			if (errpos)
				*errpos = (size_t)(p - s) + open;
			goto invalid;
		}
		if (len) {
			struct optstr_item *it = &v[n];

			it->key = unquote(p, eq);
			it->value = eq < len ? unquote(p + eq + 1, len - eq - 1) : NULL;
			if (!it->key || (eq < len && !it->value)) {
				free(it->key);
				free(it->value);
				goto nomem;
			}
			n++;
			if (!*it->key) {
				if (errpos)
					*errpos = (size_t)(p - s);
				goto invalid;
			}
		}
		p += len + (p[len] == ',');
	}
	l->n = n;
	return 0;
invalid:
	free_items(v + l->n, n - l->n);
	errno = EINVAL;
	return -1;
nomem:
	free_items(v + l->n, n - l->n);
	errno = ENOMEM;
	return -1;
}

void optstr_free(struct optstr *l)
{
	free_items(l->items, l->n);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}
