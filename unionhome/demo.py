"""Shared pieces of the demo data: the run's context and Chinese names.

Each app seeds its own records (`<app>/demo.py`, named by its AppConfig's `demo_seeder`);
the `seed_demo` command runs them in INSTALLED_APPS order inside one transaction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁建国志海峰林东文兵宇浩凯健俊帆晨亮振永庆春"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲桂英梅琳雪婷颖倩洁莉燕萍红玉兰凤慧佳欣丹晶瑶璐"

DEMO = "demo"
MINE = "mine"
# A city or industry federation: ten enterprises, each the size of the mine.
FEDERATION = "federation"
SIZES = (DEMO, MINE, FEDERATION)
DEMO_PASSWORD = "Xiaojia-2026"


@dataclass
class DemoContext:
    """What one run of seed_demo passes from app to app."""

    size: str
    rng: random.Random
    today: date
    log: callable
    # Filled by the apps as they go: the logins to print, and records later apps build on.
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    shared: dict = field(default_factory=dict)

    @property
    def is_mine(self) -> bool:
        """The large, bulk-loaded data (the mine, or the federation of ten of them)."""
        return self.size in (MINE, FEDERATION)

    @property
    def scale(self) -> int:
        """How many of the mine's counts: the apps multiply the mine's numbers by it."""
        return 10 if self.size == FEDERATION else 1


def chinese_name(rng: random.Random, female: bool) -> str:
    chars = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def random_date(rng: random.Random, start: date, end: date) -> date:
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def seed(context: DemoContext) -> None:
    """The organisation's record with an emblem drawn here (a red disc with a gold star), so
    the login page and certificates show where a real union's emblem goes."""
    import io
    import math

    from django.conf import settings
    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from .models import Organisation

    if Organisation.objects.exists():
        context.log("  organisation: already there")
        return
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, size - 8, size - 8), fill=(179, 32, 42, 255))
    draw.ellipse((22, 22, size - 22, size - 22), outline=(240, 200, 80, 255), width=6)
    centre, outer, inner = size / 2, 78, 31
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=(240, 200, 80, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    Organisation.objects.create(
        name=settings.UNIONHOME["ORGANISATION_NAME"],
        emblem=ContentFile(buffer.getvalue(), name="emblem.png"),
    )
    context.log("  organisation: its name and a demo emblem")
