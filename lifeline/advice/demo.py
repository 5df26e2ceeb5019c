"""Demo travel advice and a destination briefing, written for the demo (not any government's text).

Published through the approval rule: drafted by the consul, approved by the
ministry's coordinator. Loading twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from lifeline.advice import services
from lifeline.advice.models import AdviceText, AdviceVersion, Briefing, BriefingText, State, TravelAdvice

T = {
    "JO": {
        "en": {
            "summary": "Exercise a high degree of caution in Jordan. Demonstrations can start at short notice, and flash floods and winter storms cause disruption.",
            "safety": "Avoid demonstrations and large gatherings. Stay away from the border areas with Syria and Iraq.\nKeep your passport or a copy with you at all times.",
            "hazards": "Flash floods in wadis and low-lying streets from October to April. Snow can close roads around Amman and in the south in winter.\nEarthquakes are possible along the Jordan Valley.",
            "health": "Tap water is treated but many people drink bottled water. Heat exhaustion is common in summer: drink water and rest in the shade.",
            "laws": "Dress modestly in public places. Public drinking and displays of affection can lead to fines or arrest. During Ramadan, do not eat or drink in public in daytime.",
            "entry": "You need a valid passport and a visa or work permit. Overstaying a residence permit leads to fines; ask the embassy before you leave if your employer holds your passport.",
            "emergency_numbers": "Police, ambulance and fire: 911",
            "help": "Call or visit the embassy for lost passports, arrest, illness, unpaid wages or abuse by an employer.",
        },
        "fil": {
            "summary": "Mag-ingat nang higit sa karaniwan sa Jordan. Maaaring magsimula ang mga demonstrasyon nang biglaan, at nagdudulot ng abala ang biglaang baha at bagyo sa taglamig.",
            "safety": "Iwasan ang mga demonstrasyon at malalaking pagtitipon. Lumayo sa mga lugar sa hangganan ng Syria at Iraq.\nLaging dalhin ang pasaporte o kopya nito.",
            "hazards": "Biglaang baha sa mga wadi at mabababang kalye mula Oktubre hanggang Abril. Maaaring isara ng niyebe ang mga daan sa taglamig.\nMaaaring magkaroon ng lindol sa Jordan Valley.",
            "health": "Uminom ng maraming tubig at magpahinga sa lilim tuwing tag-init.",
            "laws": "Magsuot ng disenteng damit sa pampublikong lugar. Sa Ramadan, huwag kumain o uminom sa publiko sa araw.",
            "entry": "Kailangan ng balidong pasaporte at visa o work permit. Magtanong sa embahada kung hawak ng employer ang iyong pasaporte.",
            "emergency_numbers": "Pulis, ambulansya at bumbero: 911",
            "help": "Tumawag o pumunta sa embahada kung nawala ang pasaporte, naaresto, nagkasakit, hindi pinapasahod o inaabuso ng employer.",
        },
        "ar": {
            "summary": "توخَّ درجة عالية من الحذر في الأردن. قد تبدأ المظاهرات دون سابق إنذار، وتسبب السيول المفاجئة والعواصف الشتوية اضطرابات.",
            "safety": "تجنّب المظاهرات والتجمعات الكبيرة. ابتعد عن المناطق الحدودية مع سوريا والعراق.\nاحمل جواز سفرك أو نسخة منه دائماً.",
            "hazards": "سيول مفاجئة في الأودية والشوارع المنخفضة من تشرين الأول إلى نيسان. قد تغلق الثلوج الطرق في الشتاء.",
            "health": "اشرب الماء واسترح في الظل في الصيف لتجنب الإجهاد الحراري.",
            "laws": "ارتدِ ملابس محتشمة في الأماكن العامة. في رمضان لا تأكل ولا تشرب علناً في النهار.",
            "entry": "تحتاج إلى جواز سفر ساري المفعول وتأشيرة أو تصريح عمل.",
            "emergency_numbers": "الشرطة والإسعاف والدفاع المدني: 911",
            "help": "اتصل بالسفارة أو زرها عند فقدان الجواز أو الاعتقال أو المرض أو عدم دفع الأجور.",
        },
    },
    "LB": {
        "en": {
            "summary": "Reconsider your need to travel to Lebanon. The security situation can change quickly, and services such as power and fuel are often cut.",
            "safety": "Armed clashes and air strikes have happened with little warning. Keep a bag packed and know how you would leave your area.\nRegister with the embassy so that it can reach you.",
            "hazards": "Winter storms cause floods in Beirut's lower streets; earthquakes are possible.",
            "health": "Hospitals may ask for payment before treatment. Keep a supply of any medicine you need.",
            "laws": "Carry identification at checkpoints. Taking photographs of military sites is forbidden.",
            "entry": "Domestic workers enter under a sponsor; ask the embassy if your employer keeps your passport or you want to leave your job.",
            "emergency_numbers": "Police: 112 · Civil defence: 125 · Red Cross ambulance: 140",
            "help": "The embassy can help with shelter, documents and repatriation in an emergency.",
        },
        "fil": {
            "summary": "Pag-isipang mabuti kung kailangan mong pumunta sa Lebanon. Mabilis magbago ang sitwasyon, at madalas mawalan ng kuryente at gasolina.",
            "safety": "Nagkaroon ng sagupaan at pambobomba nang walang babala. Maghanda ng bag at alamin kung paano aalis sa iyong lugar.\nMagparehistro sa embahada.",
            "hazards": "Bumabaha sa Beirut tuwing may bagyo sa taglamig; maaaring magkaroon ng lindol.",
            "health": "Maaaring humingi ng bayad ang ospital bago gamutin. Mag-imbak ng gamot na kailangan mo.",
            "laws": "Magdala ng ID sa mga checkpoint. Bawal kumuha ng litrato ng mga pasilidad militar.",
            "entry": "Magtanong sa embahada kung hawak ng employer ang iyong pasaporte o gusto mong umalis sa trabaho.",
            "emergency_numbers": "Pulis: 112 · Civil defence: 125 · Red Cross: 140",
            "help": "Makatutulong ang embahada sa tirahan, dokumento at pag-uwi sa panahon ng emergency.",
        },
        "ar": {
            "summary": "أعد النظر في حاجتك إلى السفر إلى لبنان. قد يتغير الوضع الأمني بسرعة، وكثيراً ما تنقطع الكهرباء والوقود.",
            "safety": "وقعت اشتباكات وغارات دون إنذار يُذكر. جهّز حقيبة واعرف كيف تغادر منطقتك.\nسجّل لدى السفارة.",
            "hazards": "تسبب العواصف الشتوية فيضانات في شوارع بيروت المنخفضة.",
            "health": "قد تطلب المستشفيات الدفع قبل العلاج.",
            "laws": "احمل بطاقة هوية عند الحواجز.",
            "entry": "اسأل السفارة إذا كان صاحب العمل يحتفظ بجواز سفرك.",
            "emergency_numbers": "الشرطة: 112 · الدفاع المدني: 125 · الصليب الأحمر: 140",
            "help": "يمكن للسفارة المساعدة في المأوى والوثائق والعودة عند الطوارئ.",
        },
    },
    "LB-south": {
        "en": {
            "summary": "Do not travel to areas near the southern border. If you are there, leave while roads are open and tell the embassy where you are going."
        },
        "fil": {
            "summary": "Huwag pumunta sa mga lugar malapit sa timog na hangganan. Kung naroon ka, umalis habang bukas pa ang mga daan at ipaalam sa embahada."
        },
        "ar": {
            "summary": "لا تسافر إلى المناطق القريبة من الحدود الجنوبية. إذا كنت هناك فغادر ما دامت الطرق مفتوحة وأبلغ السفارة بوجهتك."
        },
    },
    "KW": {
        "en": {
            "summary": "Exercise normal caution in Kuwait. Summer heat is extreme; sandstorms can close roads and the airport.",
            "emergency_numbers": "Police, ambulance and fire: 112",
            "laws": "Respect local customs; during Ramadan do not eat or drink in public in daytime.",
        },
        "fil": {
            "summary": "Mag-ingat gaya ng karaniwan sa Kuwait. Napakainit sa tag-init; maaaring isara ng sandstorm ang mga daan at paliparan.",
            "emergency_numbers": "Pulis, ambulansya at bumbero: 112",
        },
        "ar": {
            "summary": "توخَّ الحذر المعتاد في الكويت. حرارة الصيف شديدة، وقد تغلق العواصف الرملية الطرق والمطار.",
            "emergency_numbers": "الطوارئ: 112",
        },
    },
    "AE": {
        "en": {
            "summary": "Exercise normal caution in the United Arab Emirates. Heavy rain can flood roads at short notice.",
            "emergency_numbers": "Police: 999 · Ambulance: 998 · Fire: 997",
            "laws": "Laws on public behaviour, social media posts and medicines are strict; check before you travel.",
        },
        "fil": {
            "summary": "Mag-ingat gaya ng karaniwan sa United Arab Emirates. Maaaring bumaha ang mga daan kapag malakas ang ulan.",
            "emergency_numbers": "Pulis: 999 · Ambulansya: 998 · Bumbero: 997",
        },
        "ar": {
            "summary": "توخَّ الحذر المعتاد في الإمارات العربية المتحدة. قد تغمر الأمطار الغزيرة الطرق فجأة.",
            "emergency_numbers": "الشرطة: 999 · الإسعاف: 998 · الدفاع المدني: 997",
        },
    },
}

# (country, text key, region, level, earlier level or None)
ADVICE = [
    ("JO", "JO", "", 2, 1),
    ("LB", "LB", "", 3, None),
    ("LB", "LB-south", "Areas near the southern border", 4, None),
    ("KW", "KW", "", 1, None),
    ("AE", "AE", "", 1, None),
]

BRIEFING = {
    "en": {
        "title": "Living and working in Jordan: be ready for emergencies",
        "hazards": "Flash floods after heavy rain (October to April), especially in wadis, tunnels and basement flats.\nSnowstorms in winter; extreme heat in summer.\nEarthquakes along the Jordan Valley.",
        "kit": "Water for three days\nFood that keeps\nTorch and power bank\nMedicines you need\nWarm clothes and blanket",
        "documents": "Passport or a copy of it\nResidence or work permit\nEmployment contract\nPhotos of all documents on your phone",
        "contacts": "Embassy hotline\nYour employer or agency\nA friend nearby\nFamily at home",
        "plan": "Know the safest place in your home\nKnow how to reach higher ground\nAgree where to meet friends if phones fail",
        "during_alerts": 'Follow the instructions of the Civil Defence. Move away from wadis and low streets when a flood warning is given. Answer the embassy\'s "Are you safe?" message.',
        "emergency_numbers": "Police, ambulance and fire: 911",
    },
    "fil": {
        "title": "Pamumuhay at pagtatrabaho sa Jordan: maging handa sa emergency",
        "hazards": "Biglaang baha pagkatapos ng malakas na ulan (Oktubre hanggang Abril), lalo na sa mga wadi at basement.\nNiyebe sa taglamig; matinding init sa tag-init.",
        "kit": "Tubig para sa tatlong araw\nPagkaing hindi madaling masira\nFlashlight at power bank\nMga gamot mo",
        "documents": "Pasaporte o kopya nito\nResidence o work permit\nKontrata sa trabaho",
        "contacts": "Hotline ng embahada\nEmployer o ahensya\nKaibigan sa malapit",
        "plan": "Alamin ang pinakaligtas na lugar sa bahay\nMagkasundo kung saan magkikita kung walang signal",
        "during_alerts": 'Sundin ang Civil Defence. Lumayo sa mga wadi kapag may babala ng baha. Sagutin ang mensaheng "Ligtas ka ba?" ng embahada.',
        "emergency_numbers": "Pulis, ambulansya at bumbero: 911",
    },
    "ar": {
        "title": "العيش والعمل في الأردن: كن مستعداً للطوارئ",
        "hazards": "سيول مفاجئة بعد الأمطار الغزيرة، خاصة في الأودية والأنفاق والشقق تحت الأرض.\nعواصف ثلجية في الشتاء وحر شديد في الصيف.",
        "kit": "ماء يكفي ثلاثة أيام\nطعام لا يفسد\nمصباح وشاحن متنقل\nالأدوية التي تحتاجها",
        "documents": "جواز السفر أو نسخة منه\nتصريح الإقامة أو العمل\nعقد العمل",
        "contacts": "الخط الساخن للسفارة\nصاحب العمل أو الوكالة\nصديق قريب",
        "plan": "اعرف أكثر مكان آمن في بيتك\nاتفق على مكان لقاء إذا انقطعت الاتصالات",
        "during_alerts": 'اتبع تعليمات الدفاع المدني. ابتعد عن الأودية عند صدور تحذير من السيول. أجب عن رسالة السفارة "هل أنت بخير؟".',
        "emergency_numbers": "الشرطة والإسعاف والدفاع المدني: 911",
    },
}


def _version(advice, number, level, state, author, texts, reviewed):
    version = AdviceVersion.objects.create(
        advice=advice,
        number=number,
        level=level,
        state=state,
        author=author,
        last_reviewed=reviewed,
        note="demo",
    )
    for language, fields in texts.items():
        AdviceText.objects.create(version=version, language=language, **fields)
    return version


# Contact details for the demo posts that have none yet (invented numbers and addresses).
POST_CONTACTS = {
    "emb-amman": (
        "Al Sharif Nasser Bin Jameel St 12, Shmeisani, Amman",
        "+96265000101",
        "amman.pe@demo.invalid",
    ),
    "emb-beirut": ("Hazmieh, Mar Takla, Beirut", "+9615000202", "beirut.pe@demo.invalid"),
    "cg-dubai": ("Al Qusais 2, Dubai", "+97145000303", "dubai.pcg@demo.invalid"),
    "emb-kuwait": ("Block 6, Faiha, Kuwait City", "+96525000404", "kuwait.pe@demo.invalid"),
}


def load(orgs, areas, countries, rng, write):
    for key, (address, phone, email) in POST_CONTACTS.items():
        post = orgs.get(key)
        if post is not None and not (post.address or post.phone or post.email):
            post.address, post.phone, post.email = address, phone, email
            post.save(update_fields=["address", "phone", "email"])
    User = get_user_model()
    author, approver = (
        User.objects.filter(username="consul").first(),
        User.objects.filter(username="ministry").first(),
    )
    today = datetime.date.today()
    owner = orgs["mfa-ph"]
    made = 0
    for code, key, region, level, earlier in ADVICE:
        advice, _created = TravelAdvice.objects.get_or_create(
            country=countries[code], area=None, region=region, defaults={"organisation": owner}
        )
        if advice.versions.exists():
            continue
        if earlier is not None:
            texts = {language: dict(fields) for language, fields in T[key].items()}
            texts["en"]["summary"] = (
                "Exercise normal caution in Jordan. Flash floods and winter storms can cause disruption."
            )
            first = _version(
                advice, 1, earlier, State.AWAITING, author, texts, today - datetime.timedelta(days=120)
            )
            services.approve(first, approver, notify=False)
        latest = _version(
            advice,
            advice.versions.count() + 1,
            level,
            State.AWAITING,
            author,
            T[key],
            today - datetime.timedelta(days=rng.randint(3, 30)),
        )
        services.approve(latest, approver, notify=False)
        made += 1
    briefing, created = Briefing.objects.get_or_create(
        country=countries["JO"],
        area=None,
        defaults={"organisation": owner, "published": True, "last_reviewed": today},
    )
    if created:
        for language, fields in BRIEFING.items():
            BriefingText.objects.create(briefing=briefing, language=language, **fields)
    write(
        f"Travel advice: {made} places published, briefing for Jordan {'created' if created else 'kept'}.\n"
    )
