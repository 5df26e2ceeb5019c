"""Alert templates per hazard, as data: CAP codes and the text of each language.

Texts are content for migrants (not interface strings), written here in the six
interface languages (and Filipino for floods); authors edit them before sending.
Each language's tuple is (event, headline, description, instruction).

Every template gives its alert an expiry (``HOURS`` after it is written, to be changed by the
author), so that no alert made from a template stays current for ever.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Hazard:
    key: str
    label: str
    categories: tuple
    response_types: tuple
    urgency: str
    severity: str
    certainty: str
    texts: dict = field(default_factory=dict)

    @property
    def hours(self):
        return HOURS.get(self.key, DEFAULT_HOURS)

    def expires(self, start=None):
        """When an alert of this hazard written now (or starting at ``start``) stops being current."""
        return (start or timezone.now()) + timedelta(hours=self.hours)

    def blocks(self, languages=None, blank=False):
        """Initial values of one info block per language: those asked for that the template has
        (all it has when none are asked for or it has none of them). With ``blank``, a language
        asked for that it lacks gets a block with the CAP codes and no text, for the author to write."""
        asked = list(dict.fromkeys(languages or ()))
        codes = [c for c in asked if c in self.texts or blank]
        if not any(c in self.texts for c in codes):
            codes = list(self.texts) + [c for c in codes if c not in self.texts]
        codes.sort(key=lambda c: c not in self.texts)  # the written blocks first, the blank ones after
        expires = timezone.localtime(self.expires()).replace(second=0, microsecond=0)
        empty = ("", "", "", "")
        return [
            {
                "language": code,
                "categories": list(self.categories),
                "response_types": list(self.response_types),
                "urgency": self.urgency,
                "severity": self.severity,
                "certainty": self.certainty,
                "event": self.texts.get(code, empty)[0],
                "headline": self.texts.get(code, empty)[1],
                "description": self.texts.get(code, empty)[2],
                "instruction": self.texts.get(code, empty)[3],
                "expires": expires,
            }
            for code in codes
        ]


# How long an alert of each hazard stays current unless its author says otherwise (hours).
DEFAULT_HOURS = 24
HOURS = {
    "flood": 24,
    "cyclone": 48,
    "earthquake": 24,
    "heat": 72,
    "epidemic": 168,
    "conflict": 24,
    "evacuation": 12,
}

HAZARDS = {
    h.key: h
    for h in [
        Hazard(
            "flood",
            _("Flood"),
            ("Met", "Safety"),
            ("Evacuate", "Avoid"),
            "Immediate",
            "Severe",
            "Likely",
            {
                "en": (
                    "Flood",
                    "Flood warning: move away from low ground now",
                    "Heavy rain is causing flooding. Water in streets, wadis and basements can rise quickly and carry cars and people away.",
                    "Leave basements and low ground now and go to higher floors or higher ground. Do not walk or drive through flood water. Call 911 in danger. Help is given to everyone, whatever their papers.",
                ),
                "es": (
                    "Inundación",
                    "Alerta por inundación: aléjese ahora de las zonas bajas",
                    "Las lluvias intensas están causando inundaciones. El agua en calles, cauces y sótanos puede subir rápido y arrastrar coches y personas.",
                    "Salga ya de sótanos y zonas bajas y suba a pisos o terrenos altos. No camine ni conduzca por el agua. Llame al 911 si está en peligro. Se ayuda a todas las personas, tengan o no papeles.",
                ),
                "fr": (
                    "Inondation",
                    "Alerte inondation : quittez maintenant les zones basses",
                    "De fortes pluies provoquent des inondations. L'eau dans les rues, les oueds et les sous-sols peut monter vite et emporter voitures et personnes.",
                    "Quittez dès maintenant les sous-sols et les zones basses et montez en hauteur. Ne marchez pas et ne roulez pas dans l'eau. Appelez le 911 en cas de danger. Tout le monde est aidé, avec ou sans papiers.",
                ),
                "ar": (
                    "فيضان",
                    "تحذير من الفيضان: ابتعدوا الآن عن الأماكن المنخفضة",
                    "تسبب الأمطار الغزيرة فيضانات. قد ترتفع المياه بسرعة في الشوارع والأودية والطوابق السفلية وتجرف السيارات والأشخاص.",
                    "غادروا الطوابق السفلية والأماكن المنخفضة فوراً واصعدوا إلى طوابق أو أماكن مرتفعة. لا تمشوا ولا تقودوا في مياه الفيضان. اتصلوا بالرقم 911 عند الخطر. المساعدة للجميع بغض النظر عن الوثائق.",
                ),
                "ru": (
                    "Наводнение",
                    "Угроза наводнения: немедленно уйдите из низин",
                    "Сильные дожди вызывают наводнение. Вода на улицах, в руслах и подвалах может быстро подняться и унести машины и людей.",
                    "Немедленно покиньте подвалы и низины, поднимитесь на верхние этажи или возвышенность. Не ходите и не ездите по воде. В опасности звоните 911. Помощь оказывается всем, независимо от документов.",
                ),
                "pt": (
                    "Inundação",
                    "Alerta de inundação: saia agora das zonas baixas",
                    "Chuvas fortes estão a causar inundações. A água nas ruas, leitos de rios e caves pode subir depressa e arrastar carros e pessoas.",
                    "Saia já das caves e zonas baixas e suba para andares ou terrenos altos. Não caminhe nem conduza na água. Ligue 911 em caso de perigo. Todas as pessoas são ajudadas, com ou sem documentos.",
                ),
                "fil": (
                    "Baha",
                    "Babala sa baha: lumayo na ngayon sa mabababang lugar",
                    "Malakas na ulan ang nagdudulot ng pagbaha. Mabilis tumaas ang tubig sa kalye, sapa at basement at kaya nitong tangayin ang sasakyan at tao.",
                    "Umalis na sa basement at mabababang lugar at pumunta sa mataas na palapag o lugar. Huwag lumakad o magmaneho sa baha. Tumawag sa 911 kung nasa panganib. Tinutulungan ang lahat, may papeles man o wala.",
                ),
            },
        ),
        Hazard(
            "cyclone",
            _("Tropical cyclone"),
            ("Met",),
            ("Prepare", "Shelter"),
            "Expected",
            "Severe",
            "Likely",
            {
                "en": (
                    "Tropical cyclone",
                    "Cyclone approaching: prepare now",
                    "A tropical cyclone is expected to bring very strong winds, heavy rain and storm surge along the coast.",
                    "Charge your phone, keep water, food and documents in a bag, and know your nearest shelter. Stay indoors away from windows when the wind rises. Follow official instructions.",
                ),
                "es": (
                    "Ciclón tropical",
                    "Se acerca un ciclón: prepárese ahora",
                    "Se espera que un ciclón tropical traiga vientos muy fuertes, lluvias intensas y marejada ciclónica en la costa.",
                    "Cargue su teléfono, guarde agua, comida y documentos en una bolsa y sepa dónde está el refugio más cercano. Quédese dentro, lejos de las ventanas, cuando suba el viento. Siga las instrucciones oficiales.",
                ),
                "fr": (
                    "Cyclone tropical",
                    "Un cyclone approche : préparez-vous maintenant",
                    "Un cyclone tropical devrait apporter des vents très forts, de fortes pluies et une submersion marine sur la côte.",
                    "Chargez votre téléphone, gardez eau, nourriture et papiers dans un sac et repérez l'abri le plus proche. Restez à l'intérieur, loin des fenêtres, quand le vent forcit. Suivez les consignes officielles.",
                ),
                "ar": (
                    "إعصار مداري",
                    "إعصار يقترب: استعدوا الآن",
                    "من المتوقع أن يجلب إعصار مداري رياحاً قوية جداً وأمطاراً غزيرة وارتفاعاً في أمواج البحر على الساحل.",
                    "اشحنوا هواتفكم واحفظوا الماء والطعام والوثائق في حقيبة واعرفوا أقرب مأوى. ابقوا في الداخل بعيداً عن النوافذ عند اشتداد الرياح. اتبعوا التعليمات الرسمية.",
                ),
                "ru": (
                    "Тропический циклон",
                    "Приближается циклон: готовьтесь сейчас",
                    "Ожидается, что тропический циклон принесёт очень сильный ветер, ливни и штормовой нагон на побережье.",
                    "Зарядите телефон, сложите воду, еду и документы в сумку, узнайте, где ближайшее укрытие. Когда усилится ветер, оставайтесь в помещении вдали от окон. Следуйте официальным указаниям.",
                ),
                "pt": (
                    "Ciclone tropical",
                    "Ciclone a aproximar-se: prepare-se agora",
                    "Espera-se que um ciclone tropical traga ventos muito fortes, chuva intensa e galgamento costeiro.",
                    "Carregue o telemóvel, guarde água, comida e documentos num saco e saiba onde fica o abrigo mais próximo. Fique dentro de casa, longe das janelas, quando o vento aumentar. Siga as instruções oficiais.",
                ),
            },
        ),
        Hazard(
            "earthquake",
            _("Earthquake"),
            ("Geo",),
            ("Assess", "Avoid"),
            "Immediate",
            "Severe",
            "Observed",
            {
                "en": (
                    "Earthquake",
                    "Strong earthquake: expect aftershocks",
                    "A strong earthquake has hit the area. Buildings may be damaged and aftershocks are likely.",
                    "Drop, cover and hold on during shaking. Then leave damaged buildings and stay away from walls and power lines. Check on neighbours. Call 911 for the injured.",
                ),
                "es": (
                    "Terremoto",
                    "Terremoto fuerte: espere réplicas",
                    "Un terremoto fuerte ha sacudido la zona. Los edificios pueden estar dañados y es probable que haya réplicas.",
                    "Agáchese, cúbrase y sujétese durante el temblor. Después salga de los edificios dañados y aléjese de muros y cables eléctricos. Ayude a sus vecinos. Llame al 911 si hay heridos.",
                ),
                "fr": (
                    "Séisme",
                    "Fort séisme : des répliques sont attendues",
                    "Un fort séisme a frappé la zone. Des bâtiments peuvent être endommagés et des répliques sont probables.",
                    "Pendant les secousses, baissez-vous, abritez-vous et tenez bon. Ensuite, quittez les bâtiments endommagés et éloignez-vous des murs et des lignes électriques. Pensez à vos voisins. Appelez le 911 pour les blessés.",
                ),
                "ar": (
                    "زلزال",
                    "زلزال قوي: توقعوا هزات ارتدادية",
                    "ضرب زلزال قوي المنطقة. قد تكون المباني متضررة ومن المرجح حدوث هزات ارتدادية.",
                    "أثناء الاهتزاز انخفضوا واحتموا وتمسكوا. ثم غادروا المباني المتضررة وابتعدوا عن الجدران وخطوط الكهرباء. اطمئنوا على جيرانكم. اتصلوا بالرقم 911 لإسعاف المصابين.",
                ),
                "ru": (
                    "Землетрясение",
                    "Сильное землетрясение: ожидаются афтершоки",
                    "В районе произошло сильное землетрясение. Здания могут быть повреждены, вероятны повторные толчки.",
                    "Во время толчков пригнитесь, укройтесь и держитесь. Затем покиньте повреждённые здания, держитесь подальше от стен и линий электропередачи. Проверьте соседей. Для помощи раненым звоните 911.",
                ),
                "pt": (
                    "Sismo",
                    "Sismo forte: espere réplicas",
                    "Um sismo forte atingiu a zona. Os edifícios podem estar danificados e são prováveis réplicas.",
                    "Durante o abalo, baixe-se, proteja-se e segure-se. Depois saia dos edifícios danificados e afaste-se de paredes e cabos elétricos. Veja como estão os vizinhos. Ligue 911 para os feridos.",
                ),
            },
        ),
        Hazard(
            "heat",
            _("Extreme heat"),
            ("Met", "Health"),
            ("Prepare", "Avoid"),
            "Expected",
            "Severe",
            "Likely",
            {
                "en": (
                    "Extreme heat",
                    "Extreme heat: protect yourself from the sun",
                    "Dangerously high temperatures are expected. Heat stroke can kill, especially people working outdoors, older people and children.",
                    "Drink water often, rest in the shade and avoid hard work outdoors between 11:00 and 16:00. Workers have the right to breaks and water. Call 911 if someone is confused or stops sweating.",
                ),
                "es": (
                    "Calor extremo",
                    "Calor extremo: protéjase del sol",
                    "Se esperan temperaturas peligrosamente altas. El golpe de calor puede matar, sobre todo a quienes trabajan al aire libre, a personas mayores y a niños.",
                    "Beba agua a menudo, descanse a la sombra y evite el trabajo duro al aire libre entre las 11:00 y las 16:00. Los trabajadores tienen derecho a pausas y agua. Llame al 911 si alguien está confuso o deja de sudar.",
                ),
                "fr": (
                    "Chaleur extrême",
                    "Chaleur extrême : protégez-vous du soleil",
                    "Des températures dangereusement élevées sont attendues. Le coup de chaleur peut tuer, surtout les personnes qui travaillent dehors, les personnes âgées et les enfants.",
                    "Buvez souvent, reposez-vous à l'ombre et évitez les travaux pénibles dehors entre 11 h et 16 h. Les travailleurs ont droit à des pauses et à de l'eau. Appelez le 911 si quelqu'un est confus ou ne transpire plus.",
                ),
                "ar": (
                    "حر شديد",
                    "حر شديد: احموا أنفسكم من الشمس",
                    "يُتوقع ارتفاع خطير في درجات الحرارة. ضربة الشمس قد تقتل، خاصة العاملين في الخارج وكبار السن والأطفال.",
                    "اشربوا الماء كثيراً واستريحوا في الظل وتجنبوا العمل الشاق في الخارج بين الساعة 11:00 و16:00. للعمال الحق في الاستراحة والماء. اتصلوا بالرقم 911 إذا ظهر على أحد ارتباك أو توقف عن التعرق.",
                ),
                "ru": (
                    "Сильная жара",
                    "Сильная жара: берегитесь солнца",
                    "Ожидается опасно высокая температура. Тепловой удар может убить, особенно тех, кто работает на улице, пожилых людей и детей.",
                    "Часто пейте воду, отдыхайте в тени и избегайте тяжёлой работы на улице с 11:00 до 16:00. Работники имеют право на перерывы и воду. Звоните 911, если человек растерян или перестал потеть.",
                ),
                "pt": (
                    "Calor extremo",
                    "Calor extremo: proteja-se do sol",
                    "São esperadas temperaturas perigosamente altas. A insolação pode matar, sobretudo quem trabalha ao ar livre, pessoas idosas e crianças.",
                    "Beba água com frequência, descanse à sombra e evite trabalho pesado ao ar livre entre as 11:00 e as 16:00. Os trabalhadores têm direito a pausas e água. Ligue 911 se alguém estiver confuso ou deixar de suar.",
                ),
            },
        ),
        Hazard(
            "epidemic",
            _("Epidemic"),
            ("Health",),
            ("Prepare", "Monitor"),
            "Expected",
            "Moderate",
            "Likely",
            {
                "en": (
                    "Disease outbreak",
                    "Disease outbreak: protect yourself and others",
                    "Cases of an infectious disease are rising in the area. Health care is available to everyone.",
                    "Wash your hands often, cover coughs and stay home if you are sick. If you have a high fever or trouble breathing, call the health hotline. Treatment does not depend on your residence status.",
                ),
                "es": (
                    "Brote de enfermedad",
                    "Brote de enfermedad: protéjase y proteja a los demás",
                    "Aumentan los casos de una enfermedad infecciosa en la zona. La atención sanitaria está disponible para todas las personas.",
                    "Lávese las manos a menudo, cúbrase al toser y quédese en casa si está enfermo. Si tiene fiebre alta o le cuesta respirar, llame a la línea de salud. La atención no depende de su situación migratoria.",
                ),
                "fr": (
                    "Épidémie",
                    "Épidémie : protégez-vous et protégez les autres",
                    "Les cas d'une maladie infectieuse augmentent dans la zone. Les soins sont accessibles à tous.",
                    "Lavez-vous souvent les mains, couvrez votre toux et restez chez vous si vous êtes malade. En cas de forte fièvre ou de difficultés à respirer, appelez la ligne santé. Les soins ne dépendent pas de votre titre de séjour.",
                ),
                "ar": (
                    "تفشي مرض",
                    "تفشي مرض: احموا أنفسكم والآخرين",
                    "تتزايد حالات مرض معدٍ في المنطقة. الرعاية الصحية متاحة للجميع.",
                    "اغسلوا أيديكم كثيراً وغطوا السعال وابقوا في المنزل عند المرض. عند الحمى الشديدة أو صعوبة التنفس اتصلوا بالخط الصحي. العلاج لا يتوقف على وضع الإقامة.",
                ),
                "ru": (
                    "Вспышка болезни",
                    "Вспышка болезни: защитите себя и других",
                    "В районе растёт число случаев инфекционного заболевания. Медицинская помощь доступна всем.",
                    "Часто мойте руки, прикрывайте рот при кашле и оставайтесь дома, если заболели. При высокой температуре или затруднённом дыхании звоните на горячую линию здравоохранения. Лечение не зависит от вашего миграционного статуса.",
                ),
                "pt": (
                    "Surto de doença",
                    "Surto de doença: proteja-se e proteja os outros",
                    "Os casos de uma doença infecciosa estão a aumentar na zona. Os cuidados de saúde estão disponíveis para todos.",
                    "Lave as mãos com frequência, tape a tosse e fique em casa se estiver doente. Se tiver febre alta ou dificuldade em respirar, ligue para a linha de saúde. O tratamento não depende da sua situação de residência.",
                ),
            },
        ),
        Hazard(
            "conflict",
            _("Armed conflict or unrest"),
            ("Security",),
            ("Shelter", "Avoid"),
            "Immediate",
            "Extreme",
            "Likely",
            {
                "en": (
                    "Armed violence",
                    "Danger: violence in the area, stay indoors",
                    "Armed violence is reported in the area. Roads may be closed and checkpoints set up.",
                    "Stay indoors, away from windows, and keep your phone charged. Do not travel unless told to leave. Carry your identity documents if you have them. Contact your embassy or the hotline for help.",
                ),
                "es": (
                    "Violencia armada",
                    "Peligro: violencia en la zona, quédese dentro",
                    "Se informa de violencia armada en la zona. Puede haber carreteras cerradas y controles.",
                    "Quédese en casa, lejos de las ventanas, con el teléfono cargado. No viaje salvo que se le indique salir. Lleve sus documentos de identidad si los tiene. Contacte con su embajada o con la línea de ayuda.",
                ),
                "fr": (
                    "Violences armées",
                    "Danger : violences dans la zone, restez à l'intérieur",
                    "Des violences armées sont signalées dans la zone. Des routes peuvent être fermées et des barrages installés.",
                    "Restez à l'intérieur, loin des fenêtres, téléphone chargé. Ne vous déplacez pas sauf consigne d'évacuer. Gardez vos papiers d'identité sur vous si vous en avez. Contactez votre ambassade ou la ligne d'aide.",
                ),
                "ar": (
                    "عنف مسلح",
                    "خطر: عنف في المنطقة، ابقوا في الداخل",
                    "وردت أنباء عن عنف مسلح في المنطقة. قد تُغلق الطرق وتُقام نقاط تفتيش.",
                    "ابقوا في الداخل بعيداً عن النوافذ واحرصوا على شحن هواتفكم. لا تتنقلوا إلا إذا طُلب منكم المغادرة. احملوا وثائق هويتكم إن وجدت. تواصلوا مع سفارتكم أو خط المساعدة.",
                ),
                "ru": (
                    "Вооружённое насилие",
                    "Опасность: насилие в районе, оставайтесь в помещении",
                    "В районе сообщается о вооружённом насилии. Дороги могут быть перекрыты, установлены блокпосты.",
                    "Оставайтесь в помещении вдали от окон, держите телефон заряженным. Не передвигайтесь, пока не получите указание уходить. Имейте при себе документы, если они есть. Обратитесь в посольство или на горячую линию.",
                ),
                "pt": (
                    "Violência armada",
                    "Perigo: violência na zona, fique dentro de casa",
                    "Há relatos de violência armada na zona. Estradas podem estar cortadas e haver postos de controlo.",
                    "Fique dentro de casa, longe das janelas, com o telemóvel carregado. Não viaje a não ser que lhe digam para sair. Leve os seus documentos de identidade se os tiver. Contacte a sua embaixada ou a linha de apoio.",
                ),
            },
        ),
        Hazard(
            "evacuation",
            _("Evacuation order"),
            ("Safety",),
            ("Evacuate",),
            "Immediate",
            "Extreme",
            "Observed",
            {
                "en": (
                    "Evacuation order",
                    "Evacuate now",
                    "The authorities have ordered everyone in this area to leave. Shelters are open to everyone, whatever their nationality or papers.",
                    "Leave now with your documents, medicines and phone. Follow the signed routes to the nearest shelter. Help neighbours who cannot leave alone. Do not go back until told it is safe.",
                ),
                "es": (
                    "Orden de evacuación",
                    "Evacúe ahora",
                    "Las autoridades han ordenado a todas las personas de esta zona que salgan. Los refugios están abiertos a todos, sea cual sea su nacionalidad o sus papeles.",
                    "Salga ahora con sus documentos, medicinas y teléfono. Siga las rutas señalizadas hasta el refugio más cercano. Ayude a los vecinos que no puedan salir solos. No regrese hasta que se indique que es seguro.",
                ),
                "fr": (
                    "Ordre d'évacuation",
                    "Évacuez maintenant",
                    "Les autorités ont ordonné à toute la population de cette zone de partir. Les abris sont ouverts à tous, quelle que soit la nationalité ou la situation administrative.",
                    "Partez maintenant avec vos papiers, vos médicaments et votre téléphone. Suivez les itinéraires balisés jusqu'à l'abri le plus proche. Aidez les voisins qui ne peuvent pas partir seuls. Ne revenez pas avant l'annonce de la fin du danger.",
                ),
                "ar": (
                    "أمر إخلاء",
                    "أخلوا المكان الآن",
                    "أمرت السلطات جميع الموجودين في هذه المنطقة بالمغادرة. الملاجئ مفتوحة للجميع أياً كانت جنسيتهم أو وثائقهم.",
                    "غادروا الآن ومعكم وثائقكم وأدويتكم وهواتفكم. اتبعوا الطرق المحددة إلى أقرب مأوى. ساعدوا الجيران الذين لا يستطيعون المغادرة وحدهم. لا تعودوا حتى يُعلن أن المكان آمن.",
                ),
                "ru": (
                    "Приказ об эвакуации",
                    "Эвакуируйтесь немедленно",
                    "Власти приказали всем покинуть этот район. Пункты временного размещения открыты для всех, независимо от гражданства и документов.",
                    "Уходите сейчас, взяв документы, лекарства и телефон. Следуйте по указанным маршрутам к ближайшему пункту размещения. Помогите соседям, которые не могут уйти сами. Не возвращайтесь, пока не объявят, что это безопасно.",
                ),
                "pt": (
                    "Ordem de evacuação",
                    "Evacue agora",
                    "As autoridades ordenaram que todas as pessoas desta zona saiam. Os abrigos estão abertos a todos, qualquer que seja a nacionalidade ou os documentos.",
                    "Saia agora com os seus documentos, medicamentos e telemóvel. Siga os percursos sinalizados até ao abrigo mais próximo. Ajude os vizinhos que não conseguem sair sozinhos. Não regresse até ser informado de que é seguro.",
                ),
            },
        ),
    ]
}


def choices():
    return [(key, hazard.label) for key, hazard in HAZARDS.items()]
