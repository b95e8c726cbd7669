# Written Cantonese (Hong Kong): words and particles that standard written
# Chinese does not use, rewritten before matching into the standard forms
# the Chinese lexicons are written in ("等咗好耐" reads as "等了好久"), and
# the few phrases that have no standard counterpart. Traditional forms,
# since that is how Hong Kong writes; zh-hant.lex and zh-hans.lex are both
# applied after the rewrite.
@spaces no

[normalize]
# Protected: ordinary words that contain a character rewritten below.
關係 關係
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
乜嘢 什麼
乜 什麼
咩 什麼
而家 現在
邊個 誰
俾 給
畀 給
嗰 那
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
2 爛貨
2 亂七八糟
2 完全不合理
2 好難用
1.5 難用
1.5 不抵
2 食住個客
1.5 照收
1.5 應承了
1.5 跟返自己的承諾
1.5 我知你都是打工
2 什麼都沒有幫到
1.5 沒有幫到
1.5 搞什麼呀
1.5 什麼呀
2 激死
2 激氣
1.5 玩嘢
2 有沒有搞錯
1.5 搞錯
2 離晒譜
1.5 沒有譜
2 頂不順
1.5 好慢
1.5 慢到

[waited]
2 沒人覆
1.5 都沒人
1.5 未有人
2 等到頸都長
2 頸都長
1.5 未入數
2 講了兩次
2 已經講了
1.5 講了半日
1 半個鐘
1.5 hold了
1.5 先有人聽
1.5 次次都話
1.5 四次
1.5 又打過來問
1.5 再問多次
1.5 已經send過
1.5 第四日
1.5 改了三次
1 又話
1.5 又多一個禮拜
1.5 等了成
2 等極都
1.5 沒人聽
1.5 一直沒有

[cancel_intent]
2 轉台
2 退會
2 不續
1.5 約滿
2 終止服務
2 終止會籍
2 不要再扣我錢
2 不要再扣
2 自動續期
2 不想再續
2 以後都不用
2 以後都不會再
2 刪埋
2 取消月費
1.5 搬去外國
1.5 不用喇
2 不要喇
2 取消會籍
2 不再幫襯

[neutral]
沒有打算取消
沒打算取消
不是話要cancel
都不差
不緊要

[retract]
send錯
頭先那句
頭先嗰句
只是想了解

[sarcasm]
1.5 真是好有效率
1.5 正呀

[grateful]
1 搞定
