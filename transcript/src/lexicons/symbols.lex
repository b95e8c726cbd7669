# Emoji and symbols, in any language. Matched as substrings.
@spaces no

[frustrated]
2 😡
2.5 🤬
1.5 😤
2 😠
1.5 👎
1.5 🙄
1 😞
1 😒
1 😢
1 😩
1 😫
1.5 💢
1 🤦

[grateful]
1 🙏
1 😊
1 👍
1 ❤️
1 ❤
0.5 🙂
1 😀
1 😄
1 😁
1.5 🥰
1 💯
1 👏

[sarcasm]
1 🙃
