/*
 * hv.cfg: one `key=value` per line, `#` starts a comment line, blank lines
 * are ignored, whitespace around keys and values is dropped. A key given
 * twice takes the later value, so a generated file can be overridden by
 * appending lines to it.
 */
#include "boot/loader.h"

/* The MiB count must keep the region size far from overflowing a u64. */
#define MEMORY_MB_MAX (1ULL << 20)

struct cfg_line {
	unsigned number;
	const char *key;
	const char *value;
};

static EFI_STATUS bad_line(const struct cfg_line *l, const char *why)
{
	Print(LOADER_NAME L": hv.cfg line %d: %a=%a: %a\n", l->number, l->key,
	      l->value, why);
	return EFI_INVALID_PARAMETER;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static char *trim(char *s, char *end)
{
	while (s < end && is_space(*s))
		s++;
	while (end > s && is_space(end[-1]))
		end--;
	*end = '\0';
	return s;
}

/* Decimal, or hexadecimal with 0x; the whole string must be the number. */
static bool parse_u64(const char *s, u64 max, u64 *out)
{
	unsigned base = 10;
	u64 v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (d > max || v > (max - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* UCS-2 LoadOptions and file paths: only printable ASCII converts losslessly. */
static bool to_ucs2(const char *s, CHAR16 *out, UINTN max)
{
	UINTN i;

	for (i = 0; s[i]; i++) {
		if (i + 1 >= max || s[i] < 0x20 || s[i] > 0x7e)
			return false;
		out[i] = s[i];
	}
	out[i] = 0;
	return true;
}

static const struct {
	const char *name;
	u32 type;
} schedulers[] = {
	{ "classic", HV_SCHEDULER_CLASSIC },
	{ "classic-nosmt", HV_SCHEDULER_CLASSIC_NO_SMT },
	{ "core", HV_SCHEDULER_CORE },
	{ "root", HV_SCHEDULER_ROOT },
};

static bool streq(const char *a, const char *b)
{
	return !strcmpa((const CHAR8 *)a, (const CHAR8 *)b);
}

static EFI_STATUS apply(const struct cfg_line *l, struct hv_config *cfg)
{
	const char *k = l->key, *v = l->value;
	UINTN i, len;
	u64 n;

	if (streq(k, "next")) {
		if (!*v || !to_ucs2(v, cfg->next, ARRAY_SIZE(cfg->next)))
			return bad_line(l, "expected a path of printable ASCII, at most 255 characters");
	} else if (streq(k, "options")) {
		if (!to_ucs2(v, cfg->options, ARRAY_SIZE(cfg->options)))
			return bad_line(l, "expected printable ASCII, at most 1023 characters");
		cfg->has_options = true;
	} else if (streq(k, "scheduler")) {
		for (i = 0; i < ARRAY_SIZE(schedulers); i++)
			if (streq(v, schedulers[i].name))
				break;
		if (i == ARRAY_SIZE(schedulers))
			return bad_line(l, "expected classic, classic-nosmt, core or root");
		cfg->scheduler = schedulers[i].type;
	} else if (streq(k, "memory_mb")) {
		if (!parse_u64(v, MEMORY_MB_MAX, &n) || !n)
			return bad_line(l, "expected a number of MiB from 1 to 1048576");
		cfg->memory_mb = n;
	} else if (streq(k, "serial")) {
		if (!parse_u64(v, 0xffff, &n))
			return bad_line(l, "expected an I/O port from 0 to 0xffff");
		cfg->serial_port = n;
	} else if (streq(k, "root_lps")) {
		if (!parse_u64(v, HV_MAX_LPS, &n))
			return bad_line(l, "expected a number of LPs from 0 to 64");
		cfg->root_lps = n;
	} else if (streq(k, "hv_options")) {
		len = strlena((const CHAR8 *)v);
		if (len >= sizeof(cfg->hv_options))
			return bad_line(l, "longer than 255 characters");
		CopyMem(cfg->hv_options, v, len + 1);
	} else {
		return bad_line(l, "unknown key");
	}
	return EFI_SUCCESS;
}

EFI_STATUS config_parse(char *text, struct hv_config *cfg)
{
	struct cfg_line l = { 0 };
	char *line = text;

	SetMem(cfg, sizeof(*cfg), 0);
	cfg->scheduler = HV_SCHEDULER_CLASSIC;
	cfg->memory_mb = 64;
	cfg->serial_port = 0x3f8;

	while (*line) {
		char *end = line, *eq, *s;
		EFI_STATUS status;

		while (*end && *end != '\n')
			end++;
		l.number++;
		/* Step past the line before trim() overwrites its '\n'. */
		s = line;
		line = *end ? end + 1 : end;
		s = trim(s, end);
		if (!*s || *s == '#')
			continue;
		for (eq = s; *eq && *eq != '='; eq++)
			;
		if (!*eq) {
			Print(LOADER_NAME L": hv.cfg line %d: expected key=value: %a\n",
			      l.number, s);
			return EFI_INVALID_PARAMETER;
		}
		l.key = trim(s, eq);
		l.value = trim(eq + 1, eq + 1 + strlena((CHAR8 *)eq + 1));
		status = apply(&l, cfg);
		if (EFI_ERROR(status))
			return status;
	}
	if (!cfg->next[0]) {
		Print(LOADER_NAME L": hv.cfg: the required key 'next' is missing\n");
		return EFI_INVALID_PARAMETER;
	}
	return EFI_SUCCESS;
}
