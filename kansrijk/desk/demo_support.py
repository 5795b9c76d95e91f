"""Demo data for "Find support": the subjects of the demo region in plain words, in six languages.

Written for this project. A subject's names are only filled in when it has none yet, so a second run
(or an administrator's own wording) is never overwritten. The offers themselves come from the
social map's demo (`kansrijk.socialmap.demo`).
"""

from kansrijk.referrals.models import VulnerabilityDomain

#: Domain code → {language: the words a resident would use}.
PUBLIC_NAMES = {
    "social": {
        "nl": "Hulp bij het dagelijks leven",
        "en": "Help with daily life",
        "ar": "المساعدة في الحياة اليومية",
        "tr": "Günlük hayatta destek",
        "pl": "Pomoc w codziennym życiu",
        "uk": "Допомога в повсякденному житті",
    },
    "financial": {
        "nl": "Geld en rekeningen",
        "en": "Money and bills",
        "ar": "المال والفواتير",
        "tr": "Para ve faturalar",
        "pl": "Pieniądze i rachunki",
        "uk": "Гроші та рахунки",
    },
    "housing": {
        "nl": "Wonen",
        "en": "Your home",
        "ar": "السكن",
        "tr": "Ev ve barınma",
        "pl": "Mieszkanie",
        "uk": "Житло",
    },
    "psychological": {
        "nl": "Je gevoelens en zorgen",
        "en": "Your feelings and worries",
        "ar": "مشاعرك ومخاوفك",
        "tr": "Duygularınız ve endişeleriniz",
        "pl": "Twoje uczucia i zmartwienia",
        "uk": "Ваші почуття і тривоги",
    },
    "lifestyle": {
        "nl": "Gezond leven, roken, alcohol en drugs",
        "en": "Healthy living, smoking, alcohol and drugs",
        "ar": "الحياة الصحية والتدخين والكحول والمخدرات",
        "tr": "Sağlıklı yaşam, sigara, alkol ve uyuşturucu",
        "pl": "Zdrowe życie, palenie, alkohol i narkotyki",
        "uk": "Здоровий спосіб життя, куріння, алкоголь і наркотики",
    },
    "language": {
        "nl": "Taal, lezen en schrijven",
        "en": "Language, reading and writing",
        "ar": "اللغة والقراءة والكتابة",
        "tr": "Dil, okuma ve yazma",
        "pl": "Język, czytanie i pisanie",
        "uk": "Мова, читання і письмо",
    },
    "relationship": {
        "nl": "Je relatie en veilig thuis",
        "en": "Your relationship and safety at home",
        "ar": "علاقتك والأمان في البيت",
        "tr": "İlişkiniz ve evde güvenlik",
        "pl": "Twój związek i bezpieczeństwo w domu",
        "uk": "Ваші стосунки та безпека вдома",
    },
    "network": {
        "nl": "Mensen om je heen",
        "en": "People around you",
        "ar": "الناس من حولك",
        "tr": "Çevrenizdeki insanlar",
        "pl": "Ludzie wokół ciebie",
        "uk": "Люди поруч із вами",
    },
    "medical": {
        "nl": "Gezondheid en zwangerschap",
        "en": "Health and pregnancy",
        "ar": "الصحة والحمل",
        "tr": "Sağlık ve hamilelik",
        "pl": "Zdrowie i ciąża",
        "uk": "Здоров’я і вагітність",
    },
}


def load(context) -> None:
    for domain in VulnerabilityDomain.objects.filter(region=context.region, code__in=PUBLIC_NAMES):
        if domain.public_names:
            continue  # already named (by an earlier run or by an administrator): leave it
        domain.public_names = dict(PUBLIC_NAMES[domain.code])
        domain.save(update_fields=["public_names"])
