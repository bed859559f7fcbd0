"""Reminder robots post over https to public addresses; nothing points them into the
server's own network unless the settings say so."""

import socket

import pytest
from django.core.exceptions import ValidationError

from dashboard.models import ReminderChannel
from dashboard.webhooks import posting_problem


@pytest.mark.parametrize(
    "url",
    [
        "ftp://qyapi.weixin.qq.com/robot",
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1",
        "https://127.0.0.1/robot",
        "https://localhost:8000/robot",
        "https://10.1.2.3/robot",
        "https://192.168.0.10/robot",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/robot",
        "https://0.0.0.0/robot",
        "file:///etc/passwd",
    ],
)
def test_an_address_inside_the_network_or_not_https_is_refused(db, url):
    channel = ReminderChannel(name="群", kind="wecom", url=url)
    with pytest.raises(ValidationError) as caught:
        channel.full_clean()
    assert list(caught.value.message_dict) == ["url"]


def test_a_public_https_robot_is_accepted(db):
    ReminderChannel(
        name="群", kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"
    ).full_clean()


def test_a_name_that_resolves_inside_the_network_is_not_posted_to(monkeypatch):
    def lookup(host, port, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.8", port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    assert (
        posting_problem("https://robot.example.cn/send") == "机器人地址指向服务器所在的内部网络。"
    )


def test_the_settings_allow_a_robot_inside_the_network(db, settings):
    settings.UNIONHOME = {
        **settings.UNIONHOME,
        "WEBHOOK_ALLOW_HTTP": True,
        "WEBHOOK_ALLOWED_HOSTS": ["10.1.2.3"],
    }
    ReminderChannel(name="群", kind="wecom", url="http://10.1.2.3:8080/robot").full_clean()
    assert posting_problem("http://10.1.2.3:8080/robot") is None
