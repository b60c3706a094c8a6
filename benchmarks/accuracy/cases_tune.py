"""Tuning cases: real markings and mentions/traps, per convention.

Each MARKING is (convention, marking text, expected level); make_cases.py places it
in several places a file can hide one. Each MENTION is (convention, document text);
its expected level is ``none`` (or the level given when the trap has a real banner).
The weights in secscan/context.py were tuned against these; cases_heldout.py was
written afterwards and was not tuned against.
"""

from __future__ import annotations

MARKINGS: list[tuple[str, str, str]] = [
    ("cn", "机密★10年", "secret"),
    ("cn", "秘密★5年", "confidential"),
    ("cn", "绝密★长期", "top-secret"),
    ("cn", "机密★2026年12月31日", "secret"),
    ("cn", "秘密★6个月", "confidential"),
    ("cn", "机 密 ★ 1 0 年", "secret"),
    ("cn", "机　密★１０年", "secret"),
    ("cn", "機密★十年", "secret"),
    ("cn", "绝密★启用前", "top-secret"),
    ("cn", "密级：秘密", "confidential"),
    ("cn", "密级：机密★5年", "secret"),
    ("cn", "工作秘密", "internal"),
    ("cn", "内部资料 注意保存", "internal"),
    ("cn", "内部文件 不得外传", "internal"),
    ("cn", "核心商密★5年", "confidential"),
    ("cn", "普通商密", "internal"),
    ("tw", "密等及解密條件或保密期限：極機密", "secret"),
    ("tw", "絕對機密", "top-secret"),
    ("hk", "限閱文件 RESTRICTED", "internal"),
    ("us", "TOP SECRET//SI//NOFORN", "top-secret"),
    ("us", "SECRET//NOFORN", "secret"),
    ("us", "CONFIDENTIAL//REL TO USA, GBR", "confidential"),
    ("us", "SECRET", "secret"),
    ("us", "CUI", "internal"),
    ("us", "CUI//SP-PRVCY", "internal"),
    ("us", "UNCLASSIFIED//FOR OFFICIAL USE ONLY", "internal"),
    ("us", "FOR OFFICIAL USE ONLY", "internal"),
    ("us", "CLASSIFICATION: SECRET", "secret"),
    ("uk", "OFFICIAL-SENSITIVE", "internal"),
    ("uk", "OFFICIAL-SENSITIVE: PERSONAL", "internal"),
    ("uk", "UK SECRET", "secret"),
    ("nato", "NATO SECRET", "secret"),
    ("nato", "COSMIC TOP SECRET", "top-secret"),
    ("nato", "NATO RESTRICTED", "internal"),
    ("eu", "RESTREINT UE/EU RESTRICTED", "internal"),
    ("eu", "SECRET UE/EU SECRET", "secret"),
    ("de", "VS-NUR FÜR DEN DIENSTGEBRAUCH", "internal"),
    ("de", "VS-VERTRAULICH", "confidential"),
    ("fr", "DIFFUSION RESTREINTE", "internal"),
    ("fr", "SECRET DÉFENSE", "secret"),
    ("ru", "СОВЕРШЕННО СЕКРЕТНО", "secret"),
    ("ru", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ", "internal"),
    ("jp", "極秘", "secret"),
    ("jp", "社外秘", "internal"),
    ("kr", "Ⅱ급비밀", "secret"),
    ("kr", "대외비", "internal"),
    ("corp", "Company Confidential", "confidential"),
    ("corp", "Internal Use Only", "internal"),
    ("corp", "公司机密", "confidential"),
    ("corp", "Highly Confidential", "confidential"),
]

# Documents with structure the simple placements cannot express: (convention, lines, level).
DOCUMENTS: list[tuple[str, list[str], str]] = [
    (
        "cn",
        ["000123", "秘密", "特急", "××省人民政府文件", "×政发〔2025〕12号", "关于做好年度工作的通知"],
        "confidential",
    ),
    ("cn", ["000045", "机密★1年", "加急", "关于印发工作要点的通知", "各市人民政府："], "secret"),
    (
        "us",
        [
            "(S//NF) The program began in 2019.",
            "(S//NF) Funding continued through 2023.",
            "(U) Contact the duty officer.",
        ],
        "secret",
    ),
    (
        "us",
        [
            "SECRET//NOFORN",
            "Classified By: J. Smith, Director",
            "Derived From: Memo dated 20240115",
            "Declassify On: 20491231",
            "(S) The plan is on schedule.",
        ],
        "secret",
    ),
    (
        "us",
        ["CUI", "Controlled by: Department of Example", "CUI Category: PRVCY", "POC: J. Smith"],
        "internal",
    ),
    (
        "cn",
        [
            "绝密★启用前",
            "2024年普通高等学校招生全国统一考试",
            "数学",
            "本试卷共4页，考试结束后，将本试卷和答题卡一并交回。",
        ],
        "top-secret",
    ),
    (
        "tw",
        [
            "檔號：",
            "保存年限：",
            "密等及解密條件或保密期限：機密（本件於公布後解密）",
            "速別：最速件",
            "發文日期：中華民國113年5月1日",
        ],
        "confidential",
    ),
]

MENTIONS: list[tuple[str, str]] = [
    ("cn", "保守国家秘密，人人有责。各单位要加强保密宣传教育，提高全员保密意识。"),
    ("cn", "《中华人民共和国保守国家秘密法》规定，国家秘密的密级分为绝密、机密、秘密三级。"),
    ("cn", "被告人为境外窃取、刺探国家秘密，其行为已构成为境外刺探、非法提供国家秘密罪。"),
    ("cn", "公司制定了商业秘密保护规定，员工侵犯商业秘密将被追究责任。"),
    ("cn", "这本《秘密花园》填色书是我们之间的秘密，秘密基地就在后山。"),
    ("cn", "信息安全的三要素是机密性、完整性和可用性，机密计算技术可以保护使用中的数据。"),
    ("cn", "电影《绝密飞行》和纪录片《绝密档案》今晚播出。"),
    ("cn", "企业应当健全内部控制制度，加强内部审计，优化内部结构。"),
    ("cn", "工作人员不得泄露国家秘密、工作秘密和商业秘密，违者依法处理。"),
    ("cn", "该文件被定为“机密★10年”，标注为机密级，应当存放在保密柜中。"),
    ("cn", "保密知识培训：国家秘密标志示例：绝密★长期、机密★10年、秘密★1年。"),
    ("cn", "密级：公开\n关于召开年度总结会议的通知\n各部门：定于下周五召开年度总结会议。"),
    ("cn", "非涉密\n会议纪要\n会议讨论了下一阶段的工作安排。"),
    ("cn", "文件解密失败，请检查解密算法和密钥是否正确。"),
    ("cn", "保密协议\n甲方与乙方就合作期间的保密义务达成如下协议。"),
    ("cn", "请妥善保管密码和密钥，加密后的文件存放在保密柜中。"),
    ("cn", "公文模板\n份号\n密级★保密期限\n秘密★×年\n发文机关标志"),
    ("cn", "关于公开征求意见的通知\n（此件公开发布）"),
    ("cn", "据报道，某公司前员工因泄露机密文件被判处有期徒刑三年。"),
    ("cn", "本邮件及其附件含有保密信息，仅限于发送给上述收件人。"),
    ("cn", "涉密人员应当遵守涉密岗位的管理规定，涉密计算机不得连接互联网。"),
    ("cn", "商业机密的保护范围包括技术信息和经营信息。"),
    ("tw", "國家機密分為絕對機密、極機密及機密三等級，由核定機關依法核定。"),
    ("hk", "所有限閱文件須存放於上鎖櫃內，並由專人保管。"),
    ("us", "This email and any attachments are confidential and intended solely for the addressee."),
    ("us", "Please keep your password confidential and do not share it with anyone."),
    ("us", '"Confidential Information" means any information disclosed by either party to the other.'),
    ("us", "Victoria's Secret, the Secret Service and the secret of success were discussed."),
    ("us", "TOP SECRET! is a 1984 comedy film directed by Zucker, Abrahams and Zucker."),
    ("us", "SECRET_KEY = os.environ['AWS_SECRET_ACCESS_KEY']\nclient_secret = load()"),
    ("us", "(C) 2024 Example Corp. All rights reserved."),
    ("us", "The memo was marked FOUO before FOUO was replaced by CUI in 2016."),
    ("us", "Agents found boxes of documents marked TOP SECRET//SI//NOFORN at the residence."),
    ("us", "DISTRIBUTION STATEMENT A. Approved for public release; distribution is unlimited."),
    ("us", "UNCLASSIFIED\nMeeting notes on the budget review."),
    ("us", "CLASSIFIED ADS\nCars, bikes and flats for rent."),
    ("us", "Security classification guides explain levels such as SECRET and CONFIDENTIAL."),
    (
        "us",
        "SECRET\nApproved For Release 2002/09/04 : CIA-RDP78B04747A001900050003-4\n"
        "Memorandum for the record.",
    ),
    ("uk", "The Official Secrets Act 1989 protects information relating to security and intelligence."),
    ("uk", "OFFICIAL\nMinutes of the planning committee."),
    ("uk", "OFFICIAL RECEIPT\nThank you for your payment."),
    ("uk", "Restricted Access Area. Staff only beyond this point."),
    ("nato", "NATO UNCLASSIFIED\nDECLASSIFIED - PUBLIC DISCLOSED\nSummary record of the meeting."),
    ("nato", "NATO levels are COSMIC TOP SECRET, NATO SECRET, NATO CONFIDENTIAL and NATO RESTRICTED."),
    ("eu", "The levels are RESTREINT UE, CONFIDENTIEL UE, SECRET UE and TRÈS SECRET UE."),
    ("de", "Das Dokument ist als VS-NfD eingestuft und darf nicht weitergegeben werden."),
    ("fr", "Le document était classé SECRET DÉFENSE jusqu'en 2010, selon le ministère."),
    ("ru", "Степени секретности: ОСОБОЙ ВАЖНОСТИ, СОВЕРШЕННО СЕКРЕТНО, СЕКРЕТНО."),
    ("jp", "特定秘密保護法が施行され、極秘裏に進められた計画が報じられた。"),
    ("kr", "이 문서는 대외비로 분류된다고 보도되었다."),
    ("corp", "This tool is for internal use only by our developers, please do not share the link."),
    ("corp", "Sensitivity: Public\nQuarterly newsletter for customers."),
    ("corp", "严禁泄露公司机密，违者将被追究法律责任。"),
    ("corp", "MSIP_Label_3a2f1c4d-0000-4a5b-8c9d-1234567890ab_Name: Public"),
]

# Boilerplate that sits in a footer, where a marking would count.
FOOTERS: list[tuple[str, str]] = [
    ("us", "This email and any attachments are confidential and intended solely for the addressee."),
    ("cn", "本邮件及其附件含有保密信息，仅限于发送给上述收件人。"),
    ("corp", "(c) 2025 Example Corp. Confidential information may be contained in this message."),
    ("uk", "OFFICIAL"),
    ("cn", "第 1 页 共 3 页"),
]

# File names that mention a level word without marking anything.
NAMES: list[tuple[str, str]] = [
    ("us", "secret-santa-list.txt"),
    ("us", "my_secret_recipes.txt"),
    ("cn", "保密协议.txt"),
    ("cn", "机密性分析报告.txt"),
    ("cn", "秘密花园读后感.txt"),
    ("corp", "confidentiality-agreement.txt"),
    ("cn", "内部控制手册.txt"),
    ("us", "top_secret_party_invite.txt"),
]
