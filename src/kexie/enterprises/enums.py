from django.db import models


class Ownership(models.TextChoices):
    CENTRAL = "central", "中央企业"
    RESIDENT_CENTRAL = "resident_central", "驻地央企"
    PROVINCIAL = "provincial", "省管企业"
    MUNICIPAL = "municipal", "市属国企"
    PRIVATE = "private", "民营"
    FOREIGN = "foreign", "外资"
    OTHER = "other", "其他"


STATE_OWNED = frozenset({Ownership.CENTRAL, Ownership.RESIDENT_CENTRAL, Ownership.PROVINCIAL, Ownership.MUNICIPAL})
NON_STATE = frozenset({Ownership.PRIVATE, Ownership.FOREIGN, Ownership.OTHER})


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", "农、林、牧、渔业"
    B = "B", "采矿业"
    C = "C", "制造业"
    D = "D", "电力、热力、燃气及水生产和供应业"
    E = "E", "建筑业"
    F = "F", "批发和零售业"
    G = "G", "交通运输、仓储和邮政业"
    H = "H", "住宿和餐饮业"
    I = "I", "信息传输、软件和信息技术服务业"  # noqa: E741
    J = "J", "金融业"
    K = "K", "房地产业"
    L = "L", "租赁和商务服务业"
    M = "M", "科学研究和技术服务业"
    N = "N", "水利、环境和公共设施管理业"
    O = "O", "居民服务、修理和其他服务业"  # noqa: E741
    P = "P", "教育"
    Q = "Q", "卫生和社会工作"
    R = "R", "文化、体育和娱乐业"
    S = "S", "公共管理、社会保障和社会组织"
    T = "T", "国际组织"


FLAG_FIELDS = {
    "is_high_tech": "国家高新技术企业",
    "is_above_scale": "规模以上",
    "is_specialized": "专精特新",
    "is_unicorn": "独角兽",
    "is_leading_private": "头部民营企业",
}
