# Written Cantonese (Hong Kong): words and particles that standard written
# Chinese does not use, rewritten before matching into standard forms
# ("等咗好耐" reads as "等了好久"; [normalize], in Traditional characters as
# Hong Kong writes them, applied before folding to Simplified), and the
# phrases that have no standard counterpart (the other sections, in
# Simplified characters like zh.lex).
@spaces no

[normalize]
閂 关掉
# Protected: ordinary words that contain a character rewritten below.
關係 關係
嬲嬲熊 嬲嬲熊
激嬲辣 激嬲辣
关系 关系
唔好意思 不好意思
唔該晒 非常感謝
唔該哂 非常感謝
多謝晒 非常感謝
多謝哂 非常感謝
唔該 請
多謝 謝謝
唔使 不需要
唔駛 不需要
唔要 不要
唔好 不要
唔得 不行
唔係 不是
唔會 不會
唔想 不想
唔明 不明白
唔知 不知道
唔 不
冇問題 沒問題
冇人 沒人
冇 沒有
佢哋 他們
佢 他
哋 們
咗 了
嘅 的
喺 在
啲 些
係 是
嬲 生氣
點解 為什麼
係咪 是不是
聽朝 明早
乜嘢 什麼
乜 什麼
咩 什麼
而家 現在
邊個 誰
俾 給
畀 給
嗰 那
啱啱 剛剛
啱 對
攞 拿
咁 這麼
嚟 來
睇 看
搵 找
揾 找
諗 想
好耐 好久
幾耐 多久
成日 總是
仲未 還沒
仲係 還是
仲 還
搞掂 搞定
即刻 立刻
琴日 昨天
聽日 明天
今日 今天

[frustrated]
2 屌
2 on9
2 烂货
2 乱七八糟
2 完全不合理
2 好难用
1.5 难用
1.5 不抵
2 食住个客
1.5 照收
1.5 应承了
1.5 跟返自己的承诺
1.5 我知你都是打工
2 什么都没有帮到
1.5 没有帮到
1.5 搞什么呀
1.5 什么呀
2 激死
2 激气
1.5 玩嘢
2 有没有搞错
1.5 搞错
2 离晒谱
1.5 没有谱
2 顶不顺
1.5 好慢
1.5 慢到
1 load不到
1.5 都是一样
1.5 立刻crash
1.5 兜了
1.5 他不听
1.5 收多了
1.5 都不check
1.5 够喇
1.5 还漏了
1.5 都是漏
1.5 check不check
1.5 这么多钱做什么
1.5 又送错
1.5 送错
1.5 可不可以check清楚
1.5 又没有准时
1.5 浪费了我
1.5 请了假
1.5 请了半日假
1.5 没有我个名
1.5 没得login
1.5 SLA写明
1.5 不想再开多张
1.5 还可以点讲
1.5 好地地改
1.5 我不是想为难你
1.5 完全用不到
1.5 是不是应该退返
# Disappointment without naming what went wrong (round 17).
1.5 嘥晒

[waited]
2 没人覆
1.5 都没人
1.5 未有人
2 等到颈都长
2 颈都长
1.5 未入数
2 讲了两次
2 已经讲了
1.5 讲了半日
1 半个钟
1.5 hold了
1.5 先有人听
1.5 次次都话
1.5 四次
1.5 又打过来问
1.5 再问多次
1.5 已经send过
1.5 第#日
1.5 改了三次
1 又话
1.5 又多一个礼拜
1.5 等了成
2 等极都
1.5 没人听
1.5 一直没有
1.5 又是我
1.5 上次你们同事话
1.5 已经打来确认过
1.5 讲到现在
1.5 没有下文
1.5 没下文

[cancel_intent]
2 以后都不会再
2 转台
2 退会
2 不续
1 约满
2 终止服务
2 终止会籍
2 不要再扣我钱
2 不要再扣
2 自动续期
2 不想再续
2 以后都不用
2 删埋
2 取消月费
1.5 搬去外国
1.5 不用喇
2 不要喇
2 取消会籍
2 全部转走
2 delete了
1.5 不玩喇
2 close了个户口
2 close了个account
2 close了个储蓄户口
2 熄了个 auto
2 del 了个 account
2 del 埋个 account
2 close 了个户口
2 close 个户口
2 port走
2 port 走

[leaving]
2 不再帮衬

[neutral]
没有打算取消
没打算取消
不是话要cancel
都不差
不紧要
如果我cancel
不是话立刻要cancel
不想cancel
cancel今晚张order
cancel张order
cancel完再落
close了个ticket
close了呢张ticket
close了这张ticket
嬲嬲熊
激嬲辣

[retract]
send错
头先那句
头先𠮶句
只是想了解
当我没有讲过
当我没讲过
只是想了解清楚
头先讲错
讲错
问吓啫
问下啫

[sarcasm]
1.5 真是好有效率
1.5 真是好专业
1.5 "好用"
2 多谢你们这么尊重
1.5 尊重病人

[grateful]
1 搞定
# Delight in slang (round 17).
1.5 正到痹
1.5 正到爆

[reported]
# Someone else's words ("我个仔话…", after the rewrites above): see en.lex
# and zh.lex. Not 仔 alone: "公仔", "后生仔" (the business's delivery man).
话
讲

[reporters]
我个仔
我仔
我个女
我老豆
我老母
我妈
我媽
我阿妈
我阿媽
我媽咪
我爸
我屋企人
我老公
我老婆
朋友
我同事

[ifs]
如果
假设
若果

# ("得嘅話", rewritten above: if it can be done.)
[courtesies]
得的话
