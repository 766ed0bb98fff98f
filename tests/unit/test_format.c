#include <string.h>
#include "unit.h"
#include "hv/lib/format.h"

static void conversions(void)
{
	char b[64];

	snformat(b, sizeof(b), "%d %u %x %X %s %c %%", -42, 42u, 0xbeefu, 0xbeefu, "str", 'z');
	CHECK(!strcmp(b, "-42 42 beef BEEF str z %"));
	snformat(b, sizeof(b), "%08llx|%-4d|%4d|%lld", 0x1234ULL, 7, 7, -9000000000LL);
	CHECK(!strcmp(b, "00001234|7   |   7|-9000000000"));
	const char *volatile none = NULL;

	snformat(b, sizeof(b), "%s", none);
	CHECK(!strcmp(b, "(null)"));
}

static void truncation(void)
{
	char b[8];
	int n = snformat(b, sizeof(b), "%s", "0123456789");

	CHECK_EQ(n, 10);
	CHECK(!strcmp(b, "0123456"));
}

UNIT_MAIN("format", CASE(conversions), CASE(truncation))
